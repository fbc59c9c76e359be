/*
 * The command table: every `mrt` command, in the order `mrt help` lists
 * them. Each descriptor lives in its own cmd_<noun>_<verb>.c file.
 */
#include <stddef.h>

#include "cli/cli.h"

extern const struct cli_cmd cli_cmd_init;
extern const struct cli_cmd cli_cmd_codes_load;
extern const struct cli_cmd cli_cmd_codes_releases;
extern const struct cli_cmd cli_cmd_codes_show;
extern const struct cli_cmd cli_cmd_codes_search;
extern const struct cli_cmd cli_cmd_codes_index;
extern const struct cli_cmd cli_cmd_codes_diff;
extern const struct cli_cmd cli_cmd_edits_check;
extern const struct cli_cmd cli_cmd_edits_run;
extern const struct cli_cmd cli_cmd_edits_findings;
extern const struct cli_cmd cli_cmd_patient_show;
extern const struct cli_cmd cli_cmd_patient_find;
extern const struct cli_cmd cli_cmd_encounter_show;
extern const struct cli_cmd cli_cmd_encounter_code;
extern const struct cli_cmd cli_cmd_encounter_status;
extern const struct cli_cmd cli_cmd_chart_analyze;
extern const struct cli_cmd cli_cmd_chart_deficiencies;
extern const struct cli_cmd cli_cmd_chart_rules;
extern const struct cli_cmd cli_cmd_chart_rule_set;
extern const struct cli_cmd cli_cmd_chart_delinquency;
extern const struct cli_cmd cli_cmd_query_new;
extern const struct cli_cmd cli_cmd_query_answer;
extern const struct cli_cmd cli_cmd_query_close;
extern const struct cli_cmd cli_cmd_query_list;
extern const struct cli_cmd cli_cmd_query_show;
extern const struct cli_cmd cli_cmd_audit_log;
extern const struct cli_cmd cli_cmd_audit_verify;
extern const struct cli_cmd cli_cmd_audit_report;
extern const struct cli_cmd cli_cmd_audit_export;
extern const struct cli_cmd cli_cmd_queue_list;
extern const struct cli_cmd cli_cmd_queue_add;
extern const struct cli_cmd cli_cmd_queue_assign;
extern const struct cli_cmd cli_cmd_queue_done;
extern const struct cli_cmd cli_cmd_queue_show;
extern const struct cli_cmd cli_cmd_user_add;
extern const struct cli_cmd cli_cmd_user_grant;
extern const struct cli_cmd cli_cmd_user_revoke;
extern const struct cli_cmd cli_cmd_user_list;
extern const struct cli_cmd cli_cmd_user_passwd;
extern const struct cli_cmd cli_cmd_user_disable;
extern const struct cli_cmd cli_cmd_user_enable;
extern const struct cli_cmd cli_cmd_user_unlock;
extern const struct cli_cmd cli_cmd_user_link;
extern const struct cli_cmd cli_cmd_import_mimic;
extern const struct cli_cmd cli_cmd_import_synthea;
extern const struct cli_cmd cli_cmd_import_rejects;
extern const struct cli_cmd cli_cmd_import_hl7;
extern const struct cli_cmd cli_cmd_import_fhir;
extern const struct cli_cmd cli_cmd_export_fhir;
extern const struct cli_cmd cli_cmd_export_deid;
extern const struct cli_cmd cli_cmd_dua_add;
extern const struct cli_cmd cli_cmd_dua_list;
extern const struct cli_cmd cli_cmd_dua_end;
extern const struct cli_cmd cli_cmd_listen;
extern const struct cli_cmd cli_cmd_label_add;
extern const struct cli_cmd cli_cmd_label_remove;
extern const struct cli_cmd cli_cmd_label_list;
extern const struct cli_cmd cli_cmd_privacy_review;
extern const struct cli_cmd cli_cmd_privacy_matrix;

extern const struct cli_cmd cli_cmd_disclose_new;
extern const struct cli_cmd cli_cmd_disclose_show;
extern const struct cli_cmd cli_cmd_disclose_list;
extern const struct cli_cmd cli_cmd_disclose_accounting;
extern const struct cli_cmd cli_cmd_disclose_suspend;
extern const struct cli_cmd cli_cmd_disclose_extend;
extern const struct cli_cmd cli_cmd_authorization_add;
extern const struct cli_cmd cli_cmd_authorization_revoke;
extern const struct cli_cmd cli_cmd_authorization_list;
extern const struct cli_cmd cli_cmd_restriction_add;
extern const struct cli_cmd cli_cmd_restriction_decide;
extern const struct cli_cmd cli_cmd_restriction_end;
extern const struct cli_cmd cli_cmd_restriction_list;

extern const struct cli_cmd cli_cmd_mandated_new;
extern const struct cli_cmd cli_cmd_mandated_list;
extern const struct cli_cmd cli_cmd_mandated_show;
extern const struct cli_cmd cli_cmd_mandated_submit;
extern const struct cli_cmd cli_cmd_mandated_ack;
extern const struct cli_cmd cli_cmd_mandated_sweep;
extern const struct cli_cmd cli_cmd_mandated_due_rules;
extern const struct cli_cmd cli_cmd_mandated_due_set;
extern const struct cli_cmd cli_cmd_request_access;
extern const struct cli_cmd cli_cmd_request_amend;
extern const struct cli_cmd cli_cmd_request_extend;
extern const struct cli_cmd cli_cmd_request_complete;
extern const struct cli_cmd cli_cmd_request_accept;
extern const struct cli_cmd cli_cmd_request_deny;
extern const struct cli_cmd cli_cmd_request_disagreement;
extern const struct cli_cmd cli_cmd_request_rebuttal;
extern const struct cli_cmd cli_cmd_request_list;
extern const struct cli_cmd cli_cmd_request_show;
extern const struct cli_cmd cli_cmd_representative_add;
extern const struct cli_cmd cli_cmd_representative_end;
extern const struct cli_cmd cli_cmd_representative_list;
extern const struct cli_cmd cli_cmd_retention_list;
extern const struct cli_cmd cli_cmd_retention_set;
extern const struct cli_cmd cli_cmd_retention_due;
extern const struct cli_cmd cli_cmd_retention_check;
extern const struct cli_cmd cli_cmd_hold_add;
extern const struct cli_cmd cli_cmd_hold_release;
extern const struct cli_cmd cli_cmd_hold_list;
extern const struct cli_cmd cli_cmd_coding_audit_sample;
extern const struct cli_cmd cli_cmd_coding_audit_code;
extern const struct cli_cmd cli_cmd_coding_audit_report;
extern const struct cli_cmd cli_cmd_coding_audit_list;
extern const struct cli_cmd cli_cmd_coding_dnfc;

const struct cli_cmd *const cli_commands[] = {
	&cli_cmd_init,
	&cli_cmd_codes_load,
	&cli_cmd_codes_releases,
	&cli_cmd_codes_show,
	&cli_cmd_codes_search,
	&cli_cmd_codes_index,
	&cli_cmd_codes_diff,
	&cli_cmd_edits_check,
	&cli_cmd_edits_run,
	&cli_cmd_edits_findings,
	&cli_cmd_patient_show,
	&cli_cmd_patient_find,
	&cli_cmd_encounter_show,
	&cli_cmd_encounter_code,
	&cli_cmd_encounter_status,
	&cli_cmd_chart_analyze,
	&cli_cmd_chart_deficiencies,
	&cli_cmd_chart_rules,
	&cli_cmd_chart_rule_set,
	&cli_cmd_chart_delinquency,
	&cli_cmd_query_new,
	&cli_cmd_query_answer,
	&cli_cmd_query_close,
	&cli_cmd_query_list,
	&cli_cmd_query_show,
	&cli_cmd_audit_log,
	&cli_cmd_audit_verify,
	&cli_cmd_audit_report,
	&cli_cmd_audit_export,
	&cli_cmd_queue_list,
	&cli_cmd_queue_add,
	&cli_cmd_queue_assign,
	&cli_cmd_queue_done,
	&cli_cmd_queue_show,
	&cli_cmd_user_add,
	&cli_cmd_user_grant,
	&cli_cmd_user_revoke,
	&cli_cmd_user_list,
	&cli_cmd_user_passwd,
	&cli_cmd_user_disable,
	&cli_cmd_user_enable,
	&cli_cmd_user_unlock,
	&cli_cmd_user_link,
	&cli_cmd_import_mimic,
	&cli_cmd_import_synthea,
	&cli_cmd_import_rejects,
	&cli_cmd_import_hl7,
	&cli_cmd_import_fhir,
	&cli_cmd_export_fhir,
	&cli_cmd_export_deid,
	&cli_cmd_dua_add,
	&cli_cmd_dua_list,
	&cli_cmd_dua_end,
	&cli_cmd_listen,
	&cli_cmd_label_add,
	&cli_cmd_label_remove,
	&cli_cmd_label_list,
	&cli_cmd_privacy_review,
	&cli_cmd_privacy_matrix,
	&cli_cmd_disclose_new,
	&cli_cmd_disclose_show,
	&cli_cmd_disclose_list,
	&cli_cmd_disclose_accounting,
	&cli_cmd_disclose_suspend,
	&cli_cmd_disclose_extend,
	&cli_cmd_authorization_add,
	&cli_cmd_authorization_revoke,
	&cli_cmd_authorization_list,
	&cli_cmd_restriction_add,
	&cli_cmd_restriction_decide,
	&cli_cmd_restriction_end,
	&cli_cmd_restriction_list,
	&cli_cmd_mandated_new,
	&cli_cmd_mandated_list,
	&cli_cmd_mandated_show,
	&cli_cmd_mandated_submit,
	&cli_cmd_mandated_ack,
	&cli_cmd_mandated_sweep,
	&cli_cmd_mandated_due_rules,
	&cli_cmd_mandated_due_set,
	&cli_cmd_request_access,
	&cli_cmd_request_amend,
	&cli_cmd_request_extend,
	&cli_cmd_request_complete,
	&cli_cmd_request_accept,
	&cli_cmd_request_deny,
	&cli_cmd_request_disagreement,
	&cli_cmd_request_rebuttal,
	&cli_cmd_request_list,
	&cli_cmd_request_show,
	&cli_cmd_representative_add,
	&cli_cmd_representative_end,
	&cli_cmd_representative_list,
	&cli_cmd_retention_list,
	&cli_cmd_retention_set,
	&cli_cmd_retention_due,
	&cli_cmd_retention_check,
	&cli_cmd_hold_add,
	&cli_cmd_hold_release,
	&cli_cmd_hold_list,
	&cli_cmd_coding_audit_sample,
	&cli_cmd_coding_audit_code,
	&cli_cmd_coding_audit_report,
	&cli_cmd_coding_audit_list,
	&cli_cmd_coding_dnfc,
	NULL,
};
