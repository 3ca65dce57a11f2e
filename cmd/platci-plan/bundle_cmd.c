/* platci-plan bundle / verify (placeholder until bundle.h lands). */
#include "plan_cmd.h"

int plan_cmd_bundle(cli *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_usage_error(c, "bundle: not built yet");
}

int plan_cmd_verify(cli *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_usage_error(c, "verify: not built yet");
}
