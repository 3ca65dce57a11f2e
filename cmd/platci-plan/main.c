/* platci-plan: summarize a Terraform plan; bundle and verify the plan bundle. */
#include <string.h>

#include "plan_cmd.h"

static const cli_spec spec = { "summarize|bundle|verify [options]",
	"Subcommands:\n"
	"  summarize [--env ENV] PLAN.json     counts, redacted changes, findings and the\n"
	"                                      GitLab widget file terraform-report.json\n"
	"  bundle --env ENV --plan PLANFILE --plan-json PLAN.json --out BUNDLE.tar.gz\n"
	"         [--commit SHA] [--base-sha SHA] [--pipeline-id ID] [--terraform-version V]\n"
	"                                      pack the plan for the apply job (CI_* defaults)\n"
	"  verify BUNDLE.tar.gz --env ENV [--commit SHA] [--max-age 24h] [--extract DIR]\n"
	"                                      refuse a tampered, foreign or stale bundle\n"
	"Run '<subcommand> --help' for its options.\n",
	NULL, 0, 0, NULL };

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(cli *c, int argc, char **argv);
	} subs[] = {
		{ "summarize", plan_cmd_summarize },
		{ "bundle", plan_cmd_bundle },
		{ "verify", plan_cmd_verify },
	};
	cli c;
	int code = CLI_CONTINUE;

	cli_init(&c, argv[0]);
	/* Before a subcommand only --help and --version mean something. */
	if (argc > 1 && argv[1][0] == '-')
		code = cli_parse(&c, &spec, 2, argv);
	for (size_t i = 0; code == CLI_CONTINUE && argc > 1 && i < sizeof(subs) / sizeof(subs[0]); i++)
		if (strcmp(argv[1], subs[i].name) == 0)
			code = subs[i].run(&c, argc - 1, argv + 1);
	if (code == CLI_CONTINUE && argc < 2)
		code = cli_usage_error(&c, "a subcommand is needed: summarize, bundle or verify");
	else if (code == CLI_CONTINUE)
		code = cli_usage_error(&c, "unknown subcommand \"%s\" (summarize, bundle, verify)",
			argv[1]);
	cli_dispose(&c);
	return code;
}
