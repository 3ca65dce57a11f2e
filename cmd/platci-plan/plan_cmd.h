/* The subcommands of platci-plan. Each returns the contract's exit code. */
#ifndef PLATCI_PLAN_CMD_H
#define PLATCI_PLAN_CMD_H

#include "cli.h"

int plan_cmd_summarize(cli *c, int argc, char **argv);
int plan_cmd_bundle(cli *c, int argc, char **argv);
int plan_cmd_verify(cli *c, int argc, char **argv);

#endif
