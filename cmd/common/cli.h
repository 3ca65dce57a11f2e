/*
 * What every platci-* executable shares: the common flags, the exit codes
 * of the contract, and how diagnostics and sections look in a job log.
 */
#ifndef PLATCI_CLI_H
#define PLATCI_CLI_H

#include <stdio.h>
#include <time.h>

#include <platci.h>

/* Exit codes: the contract in the README, the same for every executable. */
enum {
	CLI_EXIT_OK = 0,
	CLI_EXIT_DENY = 1,
	CLI_EXIT_CHANGES = 2,
	CLI_EXIT_APPROVAL = 3,
	CLI_EXIT_USAGE = 64,
	CLI_EXIT_DATA = 65,
	CLI_EXIT_NOINPUT = 66,
	CLI_EXIT_UNAVAILABLE = 69,
	CLI_EXIT_INTERNAL = 70
};

typedef struct cli {
	const char *prog;
	const char *config;   /* --config, PLATCI_CONFIG, or found upwards from the cwd */
	const char *reports;  /* --reports, default platci-reports */
	const char *env;      /* --env */
	time_t now;           /* --now, default the clock */
	int gitlab;           /* --gitlab / --no-gitlab; default on when CI_API_V4_URL and a token are set */
	int color;            /* colour in the log */
	int in_ci;            /* GITLAB_CI=true */
	int quiet;
	int pretty;           /* --pretty: JSON reports indented; compact by default */
	char *found_config;   /* owned */
} cli;

/* Sets defaults from the environment. */
void cli_init(cli *c, const char *prog);
void cli_dispose(cli *c);

/*
 * Consumes argv[*i] (and its argument) when it is a common flag. Returns
 * 1 when consumed, 0 when not a common flag, -1 on a usage error
 * (already printed). --help and --version are handled by the caller,
 * which knows its usage text.
 */
int cli_common_flag(cli *c, int argc, char **argv, int *i);

/* The value of a flag that takes one: "--flag VALUE" or "--flag=VALUE". NULL when absent (printed). */
const char *cli_flag_value(cli *c, int argc, char **argv, int *i, const char *flag);

/* 1 when argv[i] is @p flag or @p flag=... */
int cli_is_flag(const char *arg, const char *flag);

/* Prints "prog: message" and returns CLI_EXIT_USAGE. */
int cli_usage_error(const cli *c, const char *fmt, ...) PLATCI_PRINTF(2, 3);

/* Prints the usage text and the common flags. */
void cli_print_help(const cli *c, const char *usage, const char *options);
void cli_print_version(const cli *c);

/* Loads platci.yaml (printing diagnostics). Returns 0 or an exit code. */
int cli_load_config(cli *c, platci_config **out);

/* Maps a library error code to the contract's exit code for input problems. */
int cli_exit_for(int error);

/* Prints every diagnostic, coloured when allowed. */
void cli_print_diag(const cli *c, const platci_diag *diag);

/* Prints "prog: error: ..." to stderr. */
void cli_error(const cli *c, const char *fmt, ...) PLATCI_PRINTF(2, 3);
void cli_warn(const cli *c, const char *fmt, ...) PLATCI_PRINTF(2, 3);
void cli_info(const cli *c, const char *fmt, ...) PLATCI_PRINTF(2, 3);

/* GitLab collapsible log sections (plain headings outside GitLab CI). */
void cli_section_start(const cli *c, const char *id, const char *title);
void cli_section_end(const cli *c, const char *id);

/* Parses RFC 3339 / ISO 8601 (2026-01-31T10:00:00Z, +04:00 offsets, or a date). 0 or -1. */
int cli_parse_time(time_t *out, const char *s);

/* Reports dir ensured; writes the four common reports. Returns 0 or an exit code. */
int cli_write_reports(cli *c, const platci_findings *findings, const platci_junit *junit,
	const platci_report_options *opts);

#endif
