#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

void pc_init(pf_case *c)
{
	char cmd[2048];

	memset(c, 0, sizeof(*c));
	c->dir = th_tmpdir();
	snprintf(c->reports, sizeof(c->reports), "%s/reports", c->dir);
	snprintf(c->repo, sizeof(c->repo), "%s/repo", c->dir);
	snprintf(c->out, sizeof(c->out), "%s/out", c->dir);
	snprintf(cmd, sizeof(cmd), "cp -R '%s/report/reports' '%s/report/repo' '%s/' && mkdir '%s'",
		PLATCI_TEST_RESOURCES, PLATCI_TEST_RESOURCES, c->dir, c->out);
	cr_assert_eq(system(cmd), 0, "cannot copy the fixtures");
}

void pc_dispose(pf_case *c)
{
	json_decref(c->json);
	free(c->html);
	platci_platform_free(c->p);
	platci_config_free(c->cfg);
	platci_diag_free(c->diag);
	th_rmrf(c->dir);
	free(c->dir);
}

void pc_write(pf_case *c, const char *name, const char *data)
{
	free(th_write(c->dir, name, data, strlen(data)));
}

void pc_build(pf_case *c, int with_config, const platci_platform_options *opts, const char *const *dirs)
{
	platci_platform_options o = PLATCI_PLATFORM_OPTIONS_INIT;
	platci_buf html = PLATCI_BUF_INIT, json = PLATCI_BUF_INIT;
	json_error_t jerr;
	char path[600];

	if (opts)
		o = *opts;
	if (!o.now)
		o.now = PF_NOW;
	o.out_dir = c->out;
	cr_assert_eq(platci_diag_new(&c->diag), 0);
	if (with_config) {
		snprintf(path, sizeof(path), "%s/platci.yaml", c->repo);
		cr_assert_eq(platci_config_load(&c->cfg, path, NULL, NULL, c->diag), 0);
		o.config = c->cfg;
	}
	cr_assert_eq(platci_platform_new(&c->p, &o), 0);
	if (!dirs) {
		cr_assert_eq(platci_platform_add_reports(c->p, c->reports, c->diag), 0);
	} else {
		for (size_t i = 0; dirs[i]; i++) {
			snprintf(path, sizeof(path), "%s/%s", c->dir, dirs[i]);
			platci_platform_add_reports(c->p, path, c->diag);
		}
	}
	cr_assert_eq(platci_platform_load_versions(c->p, c->diag), 0);
	cr_assert_eq(platci_platform_finish(c->p), 0);
	cr_assert_eq(platci_platform_render_html(&html, c->p), 0);
	cr_assert_eq(platci_platform_render_json(&json, c->p), 0);
	c->html = platci_buf_detach(&html);
	c->json = json_loads(json.ptr, 0, &jerr);
	cr_assert_not_null(c->json, "platform.json is not JSON: %s", jerr.text);
	platci_buf_dispose(&json);
}

const platci_platform_input *pc_input(const pf_case *c, const char *suffix)
{
	for (size_t i = 0; i < platci_platform_input_count(c->p); i++) {
		const platci_platform_input *in = platci_platform_input_at(c->p, i);
		size_t n = strlen(in->file), m = strlen(suffix);
		if (n >= m && strcmp(in->file + n - m, suffix) == 0)
			return in;
	}
	return NULL;
}

json_t *pc_find(json_t *arr, const char *key, const char *value)
{
	size_t i;
	json_t *v;

	json_array_foreach (arr, i, v) {
		const char *s = json_string_value(json_object_get(v, key));
		if ((!value && json_is_null(json_object_get(v, key))) || (value && s && !strcmp(s, value)))
			return v;
	}
	return NULL;
}

size_t pc_count(const char *hay, const char *needle)
{
	size_t n = 0, len = strlen(needle);

	for (const char *s = hay; (s = strstr(s, needle)) != NULL; s += len)
		n++;
	return n;
}
