/* platci-report: the report folders of every stage -> one page of the platform (index.html). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "page.h"

static const char usage[] = "--out DIR [REPORTS_DIR...]";
static const char options[] =
	"Writes DIR/index.html, one self-contained page of the platform (versions per\n"
	"environment and what waits to be promoted, drift, plans and gates,\n"
	"vulnerabilities, policy findings, and which inputs were missing), and\n"
	"DIR/platform.json with the same data. Reads every known report in each\n"
	"REPORTS_DIR and the folders directly below it (default: --reports), and the\n"
	"version sets of the environments in platci.yaml.\n\n"
	"Options:\n"
	"  --out DIR          where the page goes (created when missing; required)\n"
	"  --project-url URL  the GitLab project, for links to drift issues\n"
	"                     (default: $CI_PROJECT_URL)\n"
	"  --max-list N       rows per environment in long lists (default 100)\n"
	"  --title TEXT       the page's title\n\n"
	"The page is written whatever the inputs. Exit 0 when every report read was\n"
	"usable (missing ones are named on the page); 65 when a report, platci.yaml\n"
	"or an environment's version files could not be used; 66 when a REPORTS_DIR\n"
	"or platci.yaml does not exist; 70 when the page could not be written.\n";

#define MAX_DIRS 64

static int parse_count(cli *c, const char *v, size_t *out)
{
	char *end = NULL;
	unsigned long n = strtoul(v, &end, 10);

	if (!*v || *end || n == 0 || n > 100000)
		return cli_usage_error(c, "--max-list: \"%s\" is not a number from 1 to 100000", v);
	*out = (size_t)n;
	return 0;
}

int main(int argc, char **argv)
{
	page_args a;
	const char *v;
	int code = 0;
	cli c;

	cli_init(&c, argv[0]);
	memset(&a, 0, sizeof(a));
	a.project_url = getenv("CI_PROJECT_URL");
	for (int i = 1; i < argc && code == 0; i++) {
		int r = cli_common_flag(&c, argc, argv, &i);
		if (r < 0) {
			code = CLI_EXIT_USAGE;
		} else if (r) {
			continue;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_print_help(&c, usage, options);
			goto done;
		} else if (strcmp(argv[i], "--version") == 0) {
			cli_print_version(&c);
			goto done;
		} else if (cli_is_flag(argv[i], "--out")) {
			if (!(a.out = cli_flag_value(&c, argc, argv, &i, "--out")))
				code = CLI_EXIT_USAGE;
		} else if (cli_is_flag(argv[i], "--project-url")) {
			if (!(a.project_url = cli_flag_value(&c, argc, argv, &i, "--project-url")))
				code = CLI_EXIT_USAGE;
		} else if (cli_is_flag(argv[i], "--title")) {
			if (!(a.title = cli_flag_value(&c, argc, argv, &i, "--title")))
				code = CLI_EXIT_USAGE;
		} else if (cli_is_flag(argv[i], "--max-list")) {
			if (!(v = cli_flag_value(&c, argc, argv, &i, "--max-list")))
				code = CLI_EXIT_USAGE;
			else
				code = parse_count(&c, v, &a.max_list);
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			code = cli_usage_error(&c, "unknown argument \"%s\"", argv[i]);
		} else if (a.ndirs == MAX_DIRS) {
			code = cli_usage_error(&c, "too many report folders (at most %d)", MAX_DIRS);
		} else {
			a.dirs[a.ndirs++] = argv[i];
		}
	}
	if (code)
		goto done;
	if (!a.out || !*a.out) {
		code = cli_usage_error(&c, "--out DIR is required (usage: %s)", usage);
		goto done;
	}
	if (a.project_url && *a.project_url && strncmp(a.project_url, "https://", 8) != 0 &&
	    strncmp(a.project_url, "http://", 7) != 0) {
		code = cli_usage_error(&c, "--project-url must be an http(s) URL, not \"%s\"",
			a.project_url);
		goto done;
	}
	if (!a.ndirs)
		a.dirs[a.ndirs++] = c.reports;
	code = page_run(&c, &a);
done:
	cli_dispose(&c);
	return code;
}
