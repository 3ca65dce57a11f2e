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
	c->gitlab = getenv("CI_API_V4_URL") &&
		    (getenv("PLATCI_GITLAB_TOKEN") || getenv("CI_JOB_TOKEN"));
	if (getenv("PLATCI_ENV"))
		c->env = getenv("PLATCI_ENV");
}

void cli_dispose(cli *c)
{
	free(c->found_config);
	c->found_config = NULL;
}

int cli_is_flag(const char *arg, const char *flag)
{
	size_t n = strlen(flag);
	return strncmp(arg, flag, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

const char *cli_flag_value(cli *c, int argc, char **argv, int *i, const char *flag)
{
	const char *arg = argv[*i];
	size_t n = strlen(flag);

	if (arg[n] == '=')
		return arg + n + 1;
	if (*i + 1 >= argc) {
		cli_usage_error(c, "%s needs a value", flag);
		return NULL;
	}
	return argv[++*i];
}

int cli_common_flag(cli *c, int argc, char **argv, int *i)
{
	const char *arg = argv[*i], *v;

	if (cli_is_flag(arg, "--config")) {
		if (!(v = cli_flag_value(c, argc, argv, i, "--config")))
			return -1;
		c->config = v;
	} else if (cli_is_flag(arg, "--reports")) {
		if (!(v = cli_flag_value(c, argc, argv, i, "--reports")))
			return -1;
		c->reports = v;
	} else if (cli_is_flag(arg, "--env")) {
		if (!(v = cli_flag_value(c, argc, argv, i, "--env")))
			return -1;
		c->env = v;
	} else if (cli_is_flag(arg, "--now")) {
		if (!(v = cli_flag_value(c, argc, argv, i, "--now")))
			return -1;
		if (cli_parse_time(&c->now, v) < 0) {
			cli_usage_error(c, "--now: \"%s\" is not a time like 2026-01-31T10:00:00Z", v);
			return -1;
		}
	} else if (strcmp(arg, "--gitlab") == 0) {
		c->gitlab = 1;
	} else if (strcmp(arg, "--no-gitlab") == 0) {
		c->gitlab = 0;
	} else if (strcmp(arg, "--quiet") == 0 || strcmp(arg, "-q") == 0) {
		c->quiet = 1;
	} else if (strcmp(arg, "--no-color") == 0) {
		c->color = 0;
	} else if (strcmp(arg, "--pretty") == 0) {
		c->pretty = 1;
	} else {
		return 0;
	}
	return 1;
}

static void vreport(const cli *c, const char *level, const char *color, const char *fmt,
	va_list ap) PLATCI_PRINTF(4, 0);

static void vreport(const cli *c, const char *level, const char *color, const char *fmt,
	va_list ap)
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

void cli_print_help(const cli *c, const char *usage, const char *options)
{
	printf("Usage: %s %s\n\n%s", c->prog, usage, options ? options : "");
	printf("\nCommon options:\n"
	       "  --config FILE   platci.yaml (default: $PLATCI_CONFIG, else found upwards from here)\n"
	       "  --reports DIR   where reports go (default: platci-reports)\n"
	       "  --env ENV       the environment, where it applies\n"
	       "  --now TIME      the clock, RFC 3339 (for tests and replays)\n"
	       "  --gitlab        use the GitLab API (default when CI_API_V4_URL and a token are set)\n"
	       "  --no-gitlab     do not\n"
	       "  --quiet         print only problems\n"
	       "  --pretty        indent JSON reports (they are compact by default)\n"
	       "  --help, --version\n"
	       "\nExit codes: 0 clean, 1 policy says no, 2 changes detected, 3 needs approval,\n"
	       "64 usage, 65 bad input data, 66 input missing, 69 service unavailable, 70 internal.\n"
	       "NO_COLOR turns colour off.\n");
}

void cli_print_version(const cli *c)
{
	printf("%s (platci) %s\n", c->prog, platci_version());
}

int cli_exit_for(int error)
{
	switch (error) {
	case 0: return CLI_EXIT_OK;
	case PLATCI_ENOTFOUND:
	case PLATCI_EIO: return CLI_EXIT_NOINPUT;
	case PLATCI_ESYNTAX:
	case PLATCI_EDATA:
	case PLATCI_ELIMIT:
	case PLATCI_EVERSION:
	case PLATCI_EUNSAFE:
	case PLATCI_EDUPLICATE: return CLI_EXIT_DATA;
	case PLATCI_ENETWORK:
	case PLATCI_EAUTH: return CLI_EXIT_UNAVAILABLE;
	case PLATCI_EINVALID: return CLI_EXIT_USAGE;
	default: return CLI_EXIT_INTERNAL;
	}
}

void cli_print_diag(const cli *c, const platci_diag *diag)
{
	char line[4400];

	for (size_t i = 0; i < platci_diag_count(diag); i++) {
		const platci_diag_entry *e = platci_diag_get(diag, i);
		platci_diag_format(line, sizeof(line), e);
		if (c->color && e->level == PLATCI_DIAG_ERROR)
			fprintf(stderr, "\033[31m%s\033[0m\n", line);
		else
			fprintf(stderr, "%s\n", line);
	}
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
	if (error < 0) {
		cli_print_diag(c, diag);
		cli_error(c, "cannot use %s: %s", c->config, platci_strerror(error));
		code = cli_exit_for(error);
	}
	platci_diag_free(diag);
	return code;
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

int cli_parse_time(time_t *out, const char *s)
{
	/* A date alone is midnight UTC; a time without a zone is UTC too. */
	return platci_time_parse(out, s, 0, 0);
}

int cli_write_reports(cli *c, const platci_findings *findings, const platci_junit *junit,
	const platci_report_options *opts)
{
	platci_report_options o = PLATCI_REPORT_OPTIONS_INIT;
	platci_diag *diag = NULL;
	int error;

	if (opts)
		o = *opts;
	o.pretty = c->pretty;
	if (platci_diag_new(&diag) < 0)
		return CLI_EXIT_INTERNAL;
	error = platci_report_write_all(c->reports, findings, junit, &o, diag);
	if (error < 0) {
		cli_print_diag(c, diag);
		cli_error(c, "cannot write reports to %s: %s", c->reports, platci_strerror(error));
	}
	platci_diag_free(diag);
	return error < 0 ? CLI_EXIT_INTERNAL : 0;
}
