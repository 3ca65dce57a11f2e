/*
 * One place writes every report of a run, so that a reports folder holds
 * one run (cli.h): the previous run's files are cleared before the first
 * write, and reports.json names what this run wrote and read.
 */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

struct cli_run {
	char **files; /* written so far, in order, no duplicates */
	size_t nfiles;
	json_t *inputs; /* [{path, sha256}], hashed once at the first write */
};

void cli_run_free(struct cli_run *run)
{
	if (!run)
		return;
	for (size_t i = 0; i < run->nfiles; i++)
		free(run->files[i]);
	free(run->files);
	json_decref(run->inputs);
	free(run);
}

/* A name a manifest may list: a file directly in the folder, nothing that climbs or hides. */
static int plain_name(const char *name)
{
	return name && *name && name[0] != '.' && !strchr(name, '/') &&
	       strcmp(name, CLI_REPORTS_MANIFEST) != 0;
}

void cli_input_hashed(cli *c, const char *path, const char *sha256)
{
	if (!path || !sha256 || c->nhashed >= sizeof(c->hashed) / sizeof(c->hashed[0]) ||
		strlen(sha256) != PLATCI_SHA256_HEX_SIZE - 1)
		return;
	c->hashed[c->nhashed].path = path;
	memcpy(c->hashed[c->nhashed].sha256, sha256, PLATCI_SHA256_HEX_SIZE);
	c->nhashed++;
}

static int add_input(const cli *c, json_t *inputs, const char *path)
{
	char hex[PLATCI_SHA256_HEX_SIZE];
	const char *digest = hex;
	struct stat st;
	size_t i;
	json_t *v;

	if (!path || !strcmp(path, "-") || stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return 0; /* folders, standard input and words are not files to hash */
	json_array_foreach (inputs, i, v)
		if (!strcmp(json_string_value(json_object_get(v, "path")), path))
			return 0;
	for (i = 0; i < c->nhashed && digest == hex; i++)
		if (!strcmp(c->hashed[i].path, path))
			digest = c->hashed[i].sha256; /* the bytes the run judged, hashed as they were read */
	if (digest == hex && platci_sha256_file_hex(hex, path, NULL) < 0)
		return 0; /* unreadable now: the runner has said so already */
	return json_array_append_new(inputs, json_pack("{s:s, s:s}", "path", path, "sha256", digest));
}

/* platci.yaml and every value cli_parse() stored that names a regular file. */
static json_t *collect_inputs(const cli *c)
{
	json_t *inputs = json_array();

	if (!inputs)
		return NULL;
	if (add_input(c, inputs, c->config) < 0)
		goto fail;
	for (size_t i = 0; i < c->inputs.count; i++)
		if (add_input(c, inputs, c->inputs.items[i]) < 0)
			goto fail;
	return inputs;
fail:
	json_decref(inputs);
	return NULL;
}

/*
 * Clears the previous run: its manifest goes first (a kill from here on
 * leaves files that no manifest names), then each file it named.
 */
static int clear_previous(cli *c, platci_buf *path)
{
	json_t *old, *v;
	size_t i;

	if (platci_path_on_disk(path, c->reports, CLI_REPORTS_MANIFEST) < 0)
		return -1;
	old = json_load_file(path->ptr, 0, NULL);
	if (unlink(path->ptr) < 0 && errno != ENOENT) {
		cli_error(c, "cannot remove %s: %s", path->ptr, strerror(errno));
		json_decref(old);
		return -1;
	}
	json_array_foreach (json_object_get(old, "files"), i, v) {
		const char *name = json_string_value(v);
		if (!plain_name(name))
			continue;
		if (platci_path_on_disk(path, c->reports, name) == 0 && unlink(path->ptr) < 0 &&
			errno != ENOENT)
			cli_warn(c, "cannot remove %s of the previous run: %s", path->ptr, strerror(errno));
	}
	json_decref(old);
	return 0;
}

static int start_run(cli *c)
{
	platci_buf path = PLATCI_BUF_INIT;
	platci_diag *diag = NULL;
	int code = CLI_EXIT_INTERNAL, error;

	if (platci_diag_new(&diag) < 0)
		goto done;
	if ((error = platci_fs_mkdirs(c->reports, diag)) < 0) {
		cli_fail(c, diag, error, "cannot create %s", c->reports);
		goto done;
	}
	if (!(c->run = calloc(1, sizeof(*c->run))) || !(c->run->inputs = collect_inputs(c)) ||
		clear_previous(c, &path) < 0)
		goto done;
	code = 0;
done:
	if (code && c->run && !c->run->inputs)
		cli_error(c, "out of memory starting the reports of this run");
	platci_buf_dispose(&path);
	platci_diag_free(diag);
	return code;
}

static int note_file(struct cli_run *run, const char *name)
{
	char **grown;

	for (size_t i = 0; i < run->nfiles; i++)
		if (!strcmp(run->files[i], name))
			return 0;
	if (!(grown = realloc(run->files, (run->nfiles + 1) * sizeof(*grown))))
		return -1;
	run->files = grown;
	if (!(run->files[run->nfiles] = strdup(name)))
		return -1;
	run->nfiles++;
	return 0;
}

/* Rewrites reports.json after each report: a kill leaves one that names only finished files. */
static int write_manifest(cli *c, platci_diag *diag)
{
	json_t *m, *files = json_array();
	char *text = NULL;
	int error = PLATCI_ENOMEM;

	for (size_t i = 0; files && i < c->run->nfiles; i++)
		if (json_array_append_new(files, json_string(c->run->files[i])) < 0)
			goto fail;
	m = json_pack("{s:s, s:s, s:s?, s:O, s:o}", "runner", c->prog, "version", platci_version(),
		"env", c->env, "inputs", c->run->inputs, "files", files);
	files = NULL;
	if (m && (text = json_dumps(m, JSON_INDENT(2) | JSON_SORT_KEYS)) != NULL) {
		platci_buf out = PLATCI_BUF_INIT;
		platci_buf_printf(&out, "%s\n", text);
		error = out.error ? out.error
				  : platci_report_write_file(c->reports, CLI_REPORTS_MANIFEST,
					    out.ptr, out.size, diag);
		platci_buf_dispose(&out);
	}
	free(text);
	json_decref(m);
fail:
	json_decref(files);
	return error;
}

int cli_reports_begin(cli *c)
{
	return c->run ? 0 : start_run(c);
}

/* Records @p names (written just now) and rewrites the manifest. */
static int finish_write(cli *c, const char *const *names, size_t n)
{
	platci_diag *diag = NULL;
	int error = PLATCI_ENOMEM;

	if (platci_diag_new(&diag) < 0)
		goto done;
	for (size_t i = 0; i < n; i++)
		if (note_file(c->run, names[i]) < 0)
			goto done;
	error = write_manifest(c, diag);
done:
	if (error < 0)
		cli_fail(c, diag, error, "cannot write %s/%s", c->reports, CLI_REPORTS_MANIFEST);
	platci_diag_free(diag);
	return error < 0 ? CLI_EXIT_INTERNAL : 0;
}

int cli_write_reports(cli *c, const platci_findings *findings, const platci_junit *junit,
	const platci_report_options *opts)
{
	/* what platci_report_write_all() writes (platci/report.h) */
	static const char *const common[] = { "junit.xml", "gl-code-quality-report.json",
		"summary.md", "findings.json" };
	platci_report_options o = PLATCI_REPORT_OPTIONS_INIT;
	platci_diag *diag = NULL;
	int error, code;

	if (opts)
		o = *opts;
	o.pretty = c->pretty;
	if ((code = cli_reports_begin(c)) != 0)
		return code;
	if (platci_diag_new(&diag) < 0)
		return CLI_EXIT_INTERNAL;
	error = platci_report_write_all(c->reports, findings, junit, &o, diag);
	if (error < 0)
		cli_fail(c, diag, error, "cannot write reports to %s", c->reports);
	platci_diag_free(diag);
	if (error < 0)
		return CLI_EXIT_INTERNAL;
	return finish_write(c, common, sizeof(common) / sizeof(common[0]));
}

int cli_reports_written(cli *c, const char *const *names, size_t n)
{
	return finish_write(c, names, n);
}

int cli_write_report(cli *c, const char *name, const char *data, size_t len)
{
	platci_diag *diag = NULL;
	int error, code;

	if (!plain_name(name)) {
		cli_error(c, "internal: \"%s\" is not a report name", name);
		return CLI_EXIT_INTERNAL;
	}
	if (!c->run && (code = start_run(c)) != 0)
		return code;
	if (platci_diag_new(&diag) < 0)
		return CLI_EXIT_INTERNAL;
	if ((error = platci_report_write_file(c->reports, name, data, len, diag)) < 0)
		cli_fail(c, diag, error, "cannot write %s/%s", c->reports, name);
	platci_diag_free(diag);
	if (error < 0)
		return CLI_EXIT_INTERNAL;
	return finish_write(c, &name, 1);
}

int cli_write_report_to(cli *c, const char *name, cli_report_writer write, const void *payload)
{
	platci_buf path = PLATCI_BUF_INIT;
	platci_diag *diag = NULL;
	int error = PLATCI_ENOMEM, code;

	if (!plain_name(name)) {
		cli_error(c, "internal: \"%s\" is not a report name", name);
		return CLI_EXIT_INTERNAL;
	}
	if (!c->run && (code = start_run(c)) != 0)
		return code;
	if (platci_diag_new(&diag) == 0 && platci_path_on_disk(&path, c->reports, name) == 0)
		error = write(path.ptr, payload, c->pretty, diag);
	if (error < 0)
		cli_fail(c, diag, error, "cannot write %s/%s", c->reports, name);
	platci_diag_free(diag);
	platci_buf_dispose(&path);
	if (error < 0)
		return CLI_EXIT_INTERNAL;
	return finish_write(c, &name, 1);
}

int cli_write_report_json(cli *c, const char *name, const json_t *value)
{
	char *text = json_dumps(value, JSON_INDENT(2) | JSON_SORT_KEYS);
	size_t len = text ? strlen(text) : 0;
	char *line = text ? realloc(text, len + 2) : NULL;
	int code;

	if (!line) {
		free(text);
		cli_error(c, "out of memory writing %s/%s", c->reports, name);
		return CLI_EXIT_INTERNAL;
	}
	line[len] = '\n'; /* as platci_json_write_file() writes it */
	line[len + 1] = '\0';
	code = cli_write_report(c, name, line, len + 1);
	free(line);
	return code;
}
