/*
 * The list of built-in rule ids (platci/rules.h) is the one list: sorted,
 * unique, and holding every id the sources raise, so an exception can name
 * any finding platci reports.
 */
#include <dirent.h>
#include <regex.h>

#include "test_helpers.h"

Test(rules, the_list_is_sorted_unique_and_searchable)
{
	cr_assert_gt(platci_rules_count(), 50);
	for (size_t i = 1; i < platci_rules_count(); i++)
		cr_assert_lt(strcmp(platci_rules_at(i - 1)->id, platci_rules_at(i)->id), 0, "%s",
			platci_rules_at(i)->id);
	for (size_t i = 0; i < platci_rules_count(); i++)
		cr_assert_eq(platci_rules_find(platci_rules_at(i)->id), platci_rules_at(i));
	cr_assert_null(platci_rules_at(platci_rules_count()));
	cr_assert_null(platci_rules_find("flux.helm-version-rang"));
	cr_assert_null(platci_rules_find(NULL));
	cr_assert_str_eq(platci_rules_find("flux.helm-version-range")->stage, "validate");
}

/* Literals shaped like rule ids in one source file that the list lacks; returns how many. */
static size_t unlisted_in(const char *path, const regex_t *re)
{
	char *text = th_read(path, NULL);
	const char *p = text;
	regmatch_t m[2];
	size_t missing = 0;

	cr_assert_not_null(text, "%s", path);
	while (regexec(re, p, 2, m, 0) == 0) {
		char id[128], drift_id[140];
		size_t n = (size_t)(m[1].rm_eo - m[1].rm_so);
		const char *ext;
		snprintf(id, sizeof(id), "%.*s", (int)n, p + m[1].rm_so);
		ext = strchr(id, '.') + 1;
		/* drift raises "drift.<category>" from its category table */
		snprintf(drift_id, sizeof(drift_id), "drift.%s", id);
		if (strcmp(ext, "json") && strcmp(ext, "yaml") && strcmp(ext, "yml") && strcmp(ext, "md") &&
			strcmp(ext, "xml") && !platci_rules_find(id) && !platci_rules_find(drift_id)) {
			cr_log_error("%s: \"%s\" is raised but not in libplatci/src/rules.c", path, id);
			missing++;
		}
		p += m[0].rm_eo;
	}
	free(text);
	return missing;
}

static size_t unlisted_under(const char *dir, const regex_t *re, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t missing = 0;

	cr_assert_not_null(d, "%s", dir);
	while ((de = readdir(d)) != NULL) {
		char path[1024];
		size_t n = strlen(de->d_name);
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (n > 2 && strcmp(de->d_name + n - 2, ".c") == 0)
			missing += unlisted_in(path, re);
		else if (depth < 2 && !strchr(de->d_name, '.'))
			missing += unlisted_under(path, re, depth + 1);
	}
	closedir(d);
	return missing;
}

Test(rules, every_id_the_sources_raise_is_listed)
{
	regex_t re;
	size_t missing;

	/* "area.name" (one dot, lower case); "drift.json" and the like are file names */
	cr_assert_eq(regcomp(&re,
			     "\"((ci|drift|flux|gate|k8s|kustomize|nodepool|pending|policy|promote|render|scan|schema|"
			     "terraform|tf|tfplan|yaml)\\.[a-z][a-z-]+)\"",
			     REG_EXTENDED),
		0);
	missing = unlisted_under(PLATCI_SOURCE_DIR "/libplatci/src", &re, 0) +
		  unlisted_under(PLATCI_SOURCE_DIR "/cmd", &re, 0);
	regfree(&re);
	cr_assert_eq(missing, 0, "%zu rule ids raised but not listed (see the log)", missing);
}
