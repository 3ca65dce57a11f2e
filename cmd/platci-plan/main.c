/* platci-plan: summarize a Terraform plan; bundle and verify the plan bundle. */
#include <stdio.h>
#include <string.h>

#include "plan_cmd.h"

static const char usage[] = "summarize|bundle|verify [options]";
static const char options[] =
	"Subcommands:\n"
	"  summarize [--env ENV] PLAN.json     counts, redacted changes, findings and the\n"
	"                                      GitLab widget file terraform-report.json\n"
	"  bundle --env ENV --plan PLANFILE --plan-json PLAN.json --out BUNDLE.tar.gz\n"
	"         [--commit SHA] [--base-sha SHA] [--pipeline-id ID] [--terraform-version V]\n"
	"                                      pack the plan for the apply job (CI_* defaults)\n"
	"  verify BUNDLE.tar.gz --env ENV [--commit SHA] [--max-age 24h] [--extract DIR]\n"
	"                                      refuse a tampered, foreign or stale bundle\n"
	"Run '<subcommand> --help' for its options.\n";

int main(int argc, char **argv)
{
	cli c;
	int code = 0;

	cli_init(&c, argv[0]);
	if (argc < 2) {
		code = cli_usage_error(&c, "a subcommand is needed: summarize, bundle or verify");
		goto done;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		cli_print_help(&c, usage, options);
		goto done;
	}
	if (strcmp(argv[1], "--version") == 0) {
		cli_print_version(&c);
		goto done;
	}
	if (strcmp(argv[1], "summarize") == 0)
		code = plan_cmd_summarize(&c, argc - 1, argv + 1);
	else if (strcmp(argv[1], "bundle") == 0)
		code = plan_cmd_bundle(&c, argc - 1, argv + 1);
	else if (strcmp(argv[1], "verify") == 0)
		code = plan_cmd_verify(&c, argc - 1, argv + 1);
	else
		code = cli_usage_error(&c, "unknown subcommand \"%s\" (summarize, bundle, verify)",
			argv[1]);
done:
	cli_dispose(&c);
	return code;
}
