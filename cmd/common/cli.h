/*
 * What every platci-* executable shares: the option tables and the common
 * flags, the exit codes of the contract, and how diagnostics and sections
 * look in a job log.
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

/* What cli_parse() returns when the run goes on (any other value is the exit code). */
#define CLI_CONTINUE (-1)

/* Values gathered from repeated flags or positional arguments (pointers into argv). */
typedef struct cli_list {
	char **items; /* NULL-terminated */
	size_t count;
	size_t alloc;
} cli_list;

/*
 * One row of a runner's option table (in the spirit of libgit2's
 * cli_opt_spec): the type, the long name (without "--"), a short alias,
 * where the value goes, and the line --help shows.
 */
typedef enum {
	CLI_OPT_SWITCH, /* --name: *(int *)value = ival */
	CLI_OPT_VALUE, /* --name VALUE or --name=VALUE: *(const char **)value */
	CLI_OPT_LIST, /* as VALUE, repeatable: appended to *(cli_list *)value */
	CLI_OPT_ARG, /* one positional argument: *(const char **)value */
	CLI_OPT_ARGS /* every other positional argument: *(cli_list *)value */
} cli_opt_type;

enum {
	CLI_REQUIRED = 1 << 0, /* "--name VALUE is required" when absent */
	CLI_NONEMPTY = 1 << 1, /* "--name needs a non-empty value" */
	CLI_SPLIT_COMMAS = 1 << 2 /* a LIST whose values are comma-separated lists ("a,b,,c") */
};

typedef struct cli_opt {
	cli_opt_type type;
	const char *name; /* long name, or the positional's name in messages */
	char alias; /* short form, or 0 */
	void *value;
	int ival; /* what a SWITCH stores */
	const char *value_name; /* "FILE" in "--plan FILE" */
	const char *help; /* for --help; lines after the first are indented */
	unsigned int flags; /* CLI_REQUIRED, CLI_NONEMPTY, CLI_SPLIT_COMMAS */
} cli_opt;

/* A runner's command line: usage line, description, its own options (the common ones are added). */
typedef struct cli_spec {
	const char *usage; /* after the program name */
	const char *about; /* paragraphs before the options */
	const cli_opt *opts; /* may be NULL */
	size_t nopts;
	int need_env; /* "--env ENV is required" */
	const char *epilog; /* after the options (exit codes the runner adds), or NULL */
} cli_spec;

typedef struct cli {
	const char *prog;
	const char *config; /* --config, PLATCI_CONFIG, or found upwards from the cwd */
	const char *reports; /* --reports, default platci-reports */
	const char *env; /* --env */
	time_t now; /* --now, default the clock */
	int gitlab; /* --gitlab / --no-gitlab; default on with CI_API_V4_URL and a token */
	int gitlab_flag; /* -1: neither given; else the last of --gitlab (1) / --no-gitlab (0) */
	int color; /* colour in the log */
	int in_ci; /* GITLAB_CI=true */
	int quiet;
	int pretty; /* --pretty: JSON reports indented; compact by default */
	char *found_config; /* owned */
	cli_list *lists[8]; /* lists cli_parse() filled, freed by cli_dispose() */
	size_t nlists;
	cli_list inputs; /* every value cli_parse() stored (argv strings): the files among
				 them are the run's inputs in reports.json; freed by cli_dispose() */
	struct cli_run *run; /* this run's reports (cli_reports.c), freed by cli_dispose() */
	struct {
		const char *path; /* as given on the command line */
		char sha256[PLATCI_SHA256_HEX_SIZE];
	} hashed[4]; /* inputs the library hashed while reading them (cli_input_hashed()) */
	size_t nhashed;
} cli;

/* Sets defaults from the environment. */
void cli_init(cli *c, const char *prog);
void cli_dispose(cli *c);

/*
 * Parses argv against the common flags and @p spec. --help and --version
 * print and return 0; a usage error prints "prog: usage: ..." naming the
 * flag and returns CLI_EXIT_USAGE; else CLI_CONTINUE.
 */
int cli_parse(cli *c, const cli_spec *spec, int argc, char **argv);

/* Prints the help of @p spec (usage, its options, the common options, exit codes). */
void cli_print_help(const cli *c, const cli_spec *spec);
void cli_print_version(const cli *c);

/* Prints "prog: usage: message" and returns CLI_EXIT_USAGE. */
int cli_usage_error(const cli *c, const char *fmt, ...) PLATCI_PRINTF(2, 3);

/* Loads platci.yaml (printing diagnostics). Returns 0 or an exit code. */
int cli_load_config(cli *c, platci_config **out);

/* The --env environment of @p cfg; a usage error (64, printed) when it is not there. */
int cli_env(cli *c, const platci_config *cfg, const platci_env **out);

/*
 * The policy file to use: @p override (a flag) when given, else the
 * platci.yaml entry @p configured (policies.X, NULL when unset) below the
 * configuration's root. Returns 1 with @p out set, 0 when neither is
 * there (@p out empty), or -1 when out of memory.
 */
int cli_policy_path(platci_buf *out, const platci_config *cfg, const char *configured, const char *override);

/* Maps a library error code to the contract's exit code for input problems. */
int cli_exit_for(int error);

/* Prints every diagnostic, coloured when allowed. */
void cli_print_diag(const cli *c, const platci_diag *diag);

/*
 * Prints @p diag, then "prog: error: <what>", which ends in
 * ": platci_strerror(@p error)" only when @p diag holds no error to say
 * what is wrong. Returns the exit code for @p error.
 */
int cli_fail(const cli *c, const platci_diag *diag, int error, const char *fmt, ...) PLATCI_PRINTF(4, 5);

/* As cli_fail() for what does not change the stage's result: everything as warnings. */
void cli_fail_warn(const cli *c, const platci_diag *diag, int error, const char *fmt, ...)
	PLATCI_PRINTF(4, 5);

/* Prints "prog: error: ..." to stderr. */
void cli_error(const cli *c, const char *fmt, ...) PLATCI_PRINTF(2, 3);
void cli_warn(const cli *c, const char *fmt, ...) PLATCI_PRINTF(2, 3);
void cli_info(const cli *c, const char *fmt, ...) PLATCI_PRINTF(2, 3);

/* GitLab collapsible log sections (plain headings outside GitLab CI). */
void cli_section_start(const cli *c, const char *id, const char *title);
void cli_section_end(const cli *c, const char *id);

/*
 * Every report of a run goes through these two (cli_reports.c), so that a
 * reports folder holds one run: the first write clears the files the
 * previous run's reports.json named (the manifest first, so that a kill
 * leaves files named by no manifest), and every write rewrites
 * REPORTS/reports.json (runner, version, env, the input files with their
 * SHA-256, the files this run wrote) atomically. Returns 0 or
 * CLI_EXIT_INTERNAL (printed).
 */

/* Reports dir ensured; writes the four common reports. */
int cli_write_reports(cli *c, const platci_findings *findings, const platci_junit *junit,
	const platci_report_options *opts);

/* Writes @p data as REPORTS/@p name atomically (@p name: a plain file name). */
int cli_write_report(cli *c, const char *name, const char *data, size_t len);

/*
 * As cli_write_report() for a report the library writes to a path itself,
 * streamed (@p write gets REPORTS/@p name and @p payload, returns 0 or an
 * error code with a diagnostic).
 */
typedef int (*cli_report_writer)(const char *path, const void *payload, int pretty, platci_diag *diag);
int cli_write_report_to(cli *c, const char *name, cli_report_writer write, const void *payload);

/* As cli_write_report() for @p value, written as platci_json_write_file() writes JSON. */
int cli_write_report_json(cli *c, const char *name, const json_t *value);

/*
 * For reports a runner streams itself (platci-scan): cli_reports_begin()
 * before the first byte (clears the previous run's files), and
 * cli_reports_written() with the names once they are in place.
 */
int cli_reports_begin(cli *c);
int cli_reports_written(cli *c, const char *const *names, size_t n);

/*
 * Records the SHA-256 the library computed of input @p path while reading it
 * (platci_tfplan_input_sha256()): reports.json lists that digest, of the
 * bytes that were judged, instead of reading the file a second time. A
 * NULL @p sha256 or a full table is ignored (the file is hashed then).
 */
void cli_input_hashed(cli *c, const char *path, const char *sha256);

/* Frees what cli_write_report() kept about the run (cli_dispose() calls it). */
void cli_run_free(struct cli_run *run);

/* The manifest's name in the reports folder. */
#define CLI_REPORTS_MANIFEST "reports.json"

#endif
