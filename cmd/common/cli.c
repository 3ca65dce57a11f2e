#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static int env_true(const char *name)
{
	const char *v = getenv(name);
	return v && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0);
}

void cli_init(cli *c, const char *prog)
{
	const char *slash = strrchr(prog, '/');

	memset(c, 0, sizeof(*c));
	c->prog = slash ? slash + 1 : prog;
	c->reports = "platci-reports";
	c->now = time(NULL);
	c->config = getenv("PLATCI_CONFIG");
	c->in_ci = env_true("GITLAB_CI");
	/* GitLab's log viewer renders ANSI colours although stderr is no terminal. */
	c->color = !getenv("NO_COLOR") && (isatty(STDERR_FILENO) || c->in_ci);
	c->gitlab = getenv("CI_API_V4_URL") && (getenv("PLATCI_GITLAB_TOKEN") || getenv("CI_JOB_TOKEN"));
	c->gitlab_flag = -1;
	if (getenv("PLATCI_ENV"))
		c->env = getenv("PLATCI_ENV");
}

void cli_dispose(cli *c)
{
	for (size_t i = 0; i < c->nlists; i++) {
		free(c->lists[i]->items);
		memset(c->lists[i], 0, sizeof(*c->lists[i]));
	}
	c->nlists = 0;
	free(c->found_config);
	c->found_config = NULL;
	free(c->inputs.items);
	memset(&c->inputs, 0, sizeof(c->inputs));
	cli_run_free(c->run);
	c->run = NULL;
}

static void vreport(const cli *c, const char *level, const char *color, const char *fmt, va_list ap)
	PLATCI_PRINTF(4, 0);

static void vreport(const cli *c, const char *level, const char *color, const char *fmt, va_list ap)
{
	if (c->color)
		fprintf(stderr, "%s: \033[%sm%s\033[0m: ", c->prog, color, level);
	else
		fprintf(stderr, "%s: %s: ", c->prog, level);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int cli_usage_error(const cli *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(c, "usage", "1;31", fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help'.\n", c->prog);
	return CLI_EXIT_USAGE;
}

void cli_error(const cli *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(c, "error", "1;31", fmt, ap);
	va_end(ap);
}

void cli_warn(const cli *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(c, "warning", "1;33", fmt, ap);
	va_end(ap);
}

void cli_info(const cli *c, const char *fmt, ...)
{
	va_list ap;

	if (c->quiet)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_exit_for(int error)
{
	switch (error) {
	case 0:
		return CLI_EXIT_OK;
	case PLATCI_ENOTFOUND:
	case PLATCI_EIO:
		return CLI_EXIT_NOINPUT;
	case PLATCI_ESYNTAX:
	case PLATCI_EDATA:
	case PLATCI_ELIMIT:
	case PLATCI_EVERSION:
	case PLATCI_EUNSAFE:
	case PLATCI_EDUPLICATE:
		return CLI_EXIT_DATA;
	case PLATCI_ENETWORK:
	case PLATCI_EAUTH:
		return CLI_EXIT_UNAVAILABLE;
	case PLATCI_EINVALID:
		return CLI_EXIT_USAGE;
	default:
		return CLI_EXIT_INTERNAL;
	}
}

/* Every diagnostic, one a line, coloured when allowed; errors as warnings when @p soft. */
static void print_entries(const cli *c, const platci_diag *diag, int soft)
{
	char line[4400];

	for (size_t i = 0; i < platci_diag_count(diag); i++) {
		platci_diag_entry e = *platci_diag_at(diag, i);
		if (soft && e.level == PLATCI_DIAG_ERROR)
			e.level = PLATCI_DIAG_WARNING;
		platci_diag_format(line, sizeof(line), &e);
		if (c->color && e.level == PLATCI_DIAG_ERROR)
			fprintf(stderr, "\033[31m%s\033[0m\n", line);
		else
			fprintf(stderr, "%s\n", line);
	}
}

void cli_print_diag(const cli *c, const platci_diag *diag)
{
	print_entries(c, diag, 0);
}

static char *find_config_upwards(void)
{
	char dir[4096];
	size_t n;

	if (!getcwd(dir, sizeof(dir) - 16))
		return NULL;
	for (;;) {
		char path[4200];
		snprintf(path, sizeof(path), "%s/platci.yaml", dir);
		if (platci_fs_exists(path))
			return strdup(path);
		n = strlen(dir);
		while (n > 1 && dir[n - 1] != '/')
			n--;
		if (n <= 1)
			return NULL;
		dir[n - 1] = '\0';
	}
}

int cli_load_config(cli *c, platci_config **out)
{
	platci_diag *diag = NULL;
	int error, code = 0;

	*out = NULL;
	if (!c->config) {
		c->found_config = find_config_upwards();
		if (!c->found_config) {
			cli_error(c, "no platci.yaml here or above; pass --config FILE or set PLATCI_CONFIG");
			return CLI_EXIT_NOINPUT;
		}
		c->config = c->found_config;
	}
	if (platci_diag_new(&diag) < 0)
		return CLI_EXIT_INTERNAL;
	error = platci_config_load(out, c->config, NULL, NULL, diag);
	if (error < 0)
		code = cli_fail(c, diag, error, "cannot use %s", c->config);
	platci_diag_free(diag);
	return code;
}

int cli_env(cli *c, const platci_config *cfg, const platci_env **out)
{
	platci_buf names = PLATCI_BUF_INIT;

	if ((*out = platci_config_env(cfg, c->env)) != NULL)
		return 0;
	for (size_t i = 0; i < platci_config_env_count(cfg); i++)
		platci_buf_printf(&names, "%s%s", i ? ", " : "", platci_config_env_at(cfg, i)->name);
	cli_usage_error(c, "--env: \"%s\" is not an environment in %s (%s)", c->env,
		platci_config_path(cfg), names.size ? names.ptr : "none");
	platci_buf_dispose(&names);
	return CLI_EXIT_USAGE;
}

int cli_policy_path(platci_buf *out, const platci_config *cfg, const char *configured, const char *override)
{
	platci_buf_clear(out);
	if (override)
		platci_buf_puts(out, override);
	else if (configured)
		return platci_path_on_disk(out, platci_config_root(cfg), configured) < 0 ? -1 : 1;
	else
		return 0;
	return out->error ? -1 : 1;
}

/* Prints @p diag (errors as warnings when @p soft), then "prog: level: what[: why]". */
static void vfail(const cli *c, int soft, const platci_diag *diag, int error, const char *fmt,
	va_list ap) PLATCI_PRINTF(5, 0);

static void vfail(const cli *c, int soft, const platci_diag *diag, int error, const char *fmt, va_list ap)
{
	platci_buf what = PLATCI_BUF_INIT;

	print_entries(c, diag, soft);
	platci_buf_vprintf(&what, fmt, ap);
	/* The diagnostics above say what is wrong; a generic text only when there are none. */
	if (platci_diag_error_count(diag))
		soft ? cli_warn(c, "%s", what.ptr) : cli_error(c, "%s", what.ptr);
	else
		soft ? cli_warn(c, "%s: %s", what.ptr, platci_strerror(error))
		     : cli_error(c, "%s: %s", what.ptr, platci_strerror(error));
	platci_buf_dispose(&what);
}

int cli_fail(const cli *c, const platci_diag *diag, int error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(c, 0, diag, error, fmt, ap);
	va_end(ap);
	return cli_exit_for(error);
}

void cli_fail_warn(const cli *c, const platci_diag *diag, int error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(c, 1, diag, error, fmt, ap);
	va_end(ap);
}

void cli_section_start(const cli *c, const char *id, const char *title)
{
	if (c->quiet)
		return;
	if (c->in_ci)
		fprintf(stderr, "\033[0Ksection_start:%lld:%s[collapsed=true]\r\033[0K%s\n",
			(long long)time(NULL), id, title);
	else
		fprintf(stderr, "== %s\n", title);
}

void cli_section_end(const cli *c, const char *id)
{
	if (!c->quiet && c->in_ci)
		fprintf(stderr, "\033[0Ksection_end:%lld:%s\r\033[0K\n", (long long)time(NULL), id);
}
