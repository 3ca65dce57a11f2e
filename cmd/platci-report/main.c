/* platci-report: the report folders of every stage -> one page of the platform (index.html). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "page.h"

static const char *out, *project_url, *title, *max_list;
static cli_list dirs;

static const cli_opt opts[] = {
	{ CLI_OPT_VALUE, "out", 0, &out, 0, "DIR", "where the page goes (created when missing)",
		CLI_REQUIRED | CLI_NONEMPTY },
	{ CLI_OPT_VALUE, "project-url", 0, &project_url, 0, "URL",
		"the GitLab project, for links to drift issues\n(default: $CI_PROJECT_URL)", 0 },
	{ CLI_OPT_VALUE, "max-list", 0, &max_list, 0, "N",
		"rows per environment in long lists (default 100)", CLI_NONEMPTY },
	{ CLI_OPT_VALUE, "title", 0, &title, 0, "TEXT", "the page's title", 0 },
	{ CLI_OPT_ARGS, "REPORTS_DIR", 0, &dirs, 0, NULL, NULL, 0 },
};

static const cli_spec spec = { "--out DIR [REPORTS_DIR...]",
	"Writes DIR/index.html, one self-contained page of the platform (versions per\n"
	"environment and what waits to be promoted, drift, plans and gates,\n"
	"vulnerabilities, policy findings, and which inputs were missing), and\n"
	"DIR/platform.json with the same data. Reads every known report in each\n"
	"REPORTS_DIR and the folders directly below it (default: --reports), and the\n"
	"version sets of the environments in platci.yaml.\n",
	opts, sizeof(opts) / sizeof(opts[0]), 0,
	"The page is written whatever the inputs. Exit 0 when every report read was\n"
	"usable (missing ones are named on the page); 65 when a report, platci.yaml\n"
	"or an environment's version files could not be used; 66 when a REPORTS_DIR\n"
	"or platci.yaml does not exist; 70 when the page could not be written.\n" };

#define MAX_DIRS (sizeof(((page_args *)0)->dirs) / sizeof(((page_args *)0)->dirs[0]))

static int parse_count(cli *c, const char *v, size_t *n_out)
{
	char *end = NULL;
	unsigned long n = strtoul(v, &end, 10);

	if (!*v || *end || n == 0 || n > 100000)
		return cli_usage_error(c, "--max-list: \"%s\" is not a number from 1 to 100000", v);
	*n_out = (size_t)n;
	return 0;
}

int main(int argc, char **argv)
{
	page_args a;
	int code;
	cli c;

	cli_init(&c, argv[0]);
	memset(&a, 0, sizeof(a));
	project_url = getenv("CI_PROJECT_URL");
	if ((code = cli_parse(&c, &spec, argc, argv)) != CLI_CONTINUE ||
		(max_list && (code = parse_count(&c, max_list, &a.max_list)) != 0))
		goto done;
	if (dirs.count > MAX_DIRS) {
		code = cli_usage_error(&c, "too many report folders (at most %zu)", MAX_DIRS);
		goto done;
	}
	a.out = out;
	a.project_url = project_url;
	a.title = title;
	if (a.project_url && *a.project_url && strncmp(a.project_url, "https://", 8) != 0 &&
		strncmp(a.project_url, "http://", 7) != 0) {
		code = cli_usage_error(&c, "--project-url must be an http(s) URL, not \"%s\"", a.project_url);
		goto done;
	}
	for (size_t i = 0; i < dirs.count; i++)
		a.dirs[a.ndirs++] = dirs.items[i];
	if (!a.ndirs)
		a.dirs[a.ndirs++] = c.reports;
	code = page_run(&c, &a);
done:
	cli_dispose(&c);
	return code;
}
