/*
 * MIMIC-IV value mappings (documented in docs/mimic-mapping.md):
 * discharge_location to the UB-04 patient status code (NUBC form locator
 * 17) and admission_type to the encounter class.
 */
#include <string.h>

#include "formats/mimic.h"

static const struct {
	const char *location;
	const char *status;
} discharge_map[] = {
    {"HOME", "01"},			    /* home or self-care */
    {"ASSISTED LIVING", "01"},		    /* CMS: assisted living is coded as home */
    {"ACUTE HOSPITAL", "02"},		    /* short-term general hospital */
    {"SKILLED NURSING FACILITY", "03"},	    /* SNF with Medicare certification */
    {"HOME HEALTH CARE", "06"},		    /* home under a home health organization */
    {"AGAINST ADVICE", "07"},		    /* left against medical advice */
    {"DIED", "20"},			    /* expired */
    {"HOSPICE", "50"},			    /* hospice - home (MIMIC does not say where) */
    {"REHAB", "62"},			    /* inpatient rehabilitation facility */
    {"CHRONIC/LONG TERM ACUTE CARE", "63"}, /* long-term care hospital */
    {"PSYCH FACILITY", "65"},		    /* psychiatric hospital or unit */
    {"HEALTHCARE FACILITY", "70"},	    /* another institution not defined elsewhere */
    {"OTHER FACILITY", "70"},
};

const char *mimic_discharge_status(const char *loc)
{
	if (!loc || !*loc)
		return "";
	for (size_t i = 0; i < sizeof discharge_map / sizeof *discharge_map; i++)
		if (strcmp(loc, discharge_map[i].location) == 0)
			return discharge_map[i].status;
	return NULL;
}

static const struct {
	const char *type;
	enum mimic_class cls;
} class_map[] = {
    {"EW EMER.", MIMIC_CLASS_INPATIENT},
    {"DIRECT EMER.", MIMIC_CLASS_INPATIENT},
    {"URGENT", MIMIC_CLASS_INPATIENT},
    {"ELECTIVE", MIMIC_CLASS_INPATIENT},
    {"SURGICAL SAME DAY ADMISSION", MIMIC_CLASS_INPATIENT},
    {"OBSERVATION ADMIT", MIMIC_CLASS_OBSERVATION},
    {"EU OBSERVATION", MIMIC_CLASS_OBSERVATION},
    {"DIRECT OBSERVATION", MIMIC_CLASS_OBSERVATION},
    {"AMBULATORY OBSERVATION", MIMIC_CLASS_OBSERVATION},
};

enum mimic_class mimic_encounter_class(const char *type)
{
	for (size_t i = 0; type && i < sizeof class_map / sizeof *class_map; i++)
		if (strcmp(type, class_map[i].type) == 0)
			return class_map[i].cls;
	return MIMIC_CLASS_UNKNOWN;
}

const char *mimic_class_name(enum mimic_class c)
{
	switch (c) {
	case MIMIC_CLASS_INPATIENT:
		return "inpatient";
	case MIMIC_CLASS_OBSERVATION:
		return "observation";
	default:
		return "unknown";
	}
}
