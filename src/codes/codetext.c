/*
 * Code text entry points (placeholder bodies until the loaders land).
 */
#include "codes/codetext.h"

int codetext_load_cm_tabular(mrt_db *db, int64_t release_id, mrt_src *src, int create_codes,
			     int64_t *rows, mrt_err *err)
{
	(void)db, (void)release_id, (void)src, (void)create_codes;
	*rows = 0;
	return mrt_err_set(err, MRT_EINVAL, "ICD-10-CM tabular loader not available yet");
}

int codetext_load_cm_index(mrt_db *db, int64_t release_id, const char *kind, mrt_src *src,
			   int64_t *rows, mrt_err *err)
{
	(void)db, (void)release_id, (void)kind, (void)src;
	*rows = 0;
	return mrt_err_set(err, MRT_EINVAL, "ICD-10-CM index loader not available yet");
}

int codetext_load_pcs_index(mrt_db *db, int64_t release_id, mrt_src *src, int64_t *rows,
			    mrt_err *err)
{
	(void)db, (void)release_id, (void)src;
	*rows = 0;
	return mrt_err_set(err, MRT_EINVAL, "ICD-10-PCS index loader not available yet");
}

int codetext_load_pcs_definitions(mrt_db *db, int64_t release_id, mrt_src *src, int64_t *rows,
				  mrt_err *err)
{
	(void)db, (void)release_id, (void)src;
	*rows = 0;
	return mrt_err_set(err, MRT_EINVAL, "ICD-10-PCS definitions loader not available yet");
}

int codetext_index_release(mrt_db *db, int64_t release_id, mrt_err *err)
{
	(void)db, (void)release_id, (void)err;
	return 0;
}

int codetext_drop_release(mrt_db *db, int64_t release_id, mrt_err *err)
{
	(void)db, (void)release_id, (void)err;
	return 0;
}

int codetext_notes_json(mrt_db *db, int64_t release_id, const char *code, json_t **out,
			mrt_err *err)
{
	(void)db, (void)release_id, (void)code;
	*out = json_object();
	if (!*out)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	return 0;
}
