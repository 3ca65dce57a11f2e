/* platci: the umbrella command. `platci STAGE ARGS...` runs platci-STAGE ARGS..., as git runs
 * git-STAGE: from platci's own folder first (so an installed set stays together), then PATH. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* The stages this release ships, in pipeline order; others found as platci-* are listed too. */
static const char *const stages[][2] = {
	{ "init", "write a starting platci.yaml by looking at the repository" },
	{ "validate", "validate what a merge request changes; affected environments" },
	{ "plan", "summarize, bundle and verify Terraform/OpenTofu plans" },
	{ "gate", "allow, deny or ask for approval before an apply" },
	{ "scan", "judge Trivy reports against the scan policy" },
	{ "drift", "Terraform and Flux drift of one environment" },
	{ "promote", "promote version pins between environments" },
	{ "note", "post a report as the merge request's sticky note" },
};

static int is_stage_name(const char *s)
{
	if (!*s || *s == '-')
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return 0;
	return 1;
}

/* The folder holding this executable, or "" when it cannot be known. */
static void own_dir(char *out, size_t size, const char *argv0)
{
	ssize_t n = readlink("/proc/self/exe", out, size - 1);
	char *slash;

	if (n > 0) {
		out[n] = '\0';
	} else if (strchr(argv0, '/') && strlen(argv0) < size) {
		memcpy(out, argv0, strlen(argv0) + 1);
	} else {
		out[0] = '\0';
		return;
	}
	slash = strrchr(out, '/');
	if (slash)
		*slash = '\0';
	else
		out[0] = '\0';
}

static int is_listed(const char *name)
{
	for (size_t i = 0; i < sizeof(stages) / sizeof(stages[0]); i++)
		if (strcmp(stages[i][0], name) == 0)
			return 1;
	return 0;
}

typedef struct seen_list {
	char *names[256];
	size_t count;
} seen_list;

static int seen_add(seen_list *seen, const char *name)
{
	for (size_t i = 0; i < seen->count; i++)
		if (strcmp(seen->names[i], name) == 0)
			return 0;
	if (seen->count < sizeof(seen->names) / sizeof(seen->names[0]))
		seen->names[seen->count++] = strdup(name);
	return 1;
}

/* Other platci-* executables in @p dir (plugins, newer runners), once each. */
static void list_others(const char *dir, seen_list *seen)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[PATH_MAX];

	while (d && (de = readdir(d)) != NULL) {
		const char *name = de->d_name + 7;
		if (strncmp(de->d_name, "platci-", 7) != 0 || !is_stage_name(name) || is_listed(name) ||
			(size_t)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= sizeof(path) ||
			access(path, X_OK) != 0 || !seen_add(seen, name))
			continue;
		printf("  %-10s (%s)\n", name, path);
	}
	if (d)
		closedir(d);
}

static void help(const char *self)
{
	seen_list seen = { { NULL }, 0 };
	char *path = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
	char *save = NULL;

	printf("Usage: platci STAGE [ARGS...]\n       platci help [STAGE]\n       platci --version\n\n"
	       "Runs platci-STAGE with ARGS, found beside platci first, then on PATH.\n"
	       "`platci help STAGE` and `platci STAGE --help` show a stage's flags;\n"
	       "`man platci-STAGE` its manual.\n\nStages:\n");
	for (size_t i = 0; i < sizeof(stages) / sizeof(stages[0]); i++)
		printf("  %-10s %s\n", stages[i][0], stages[i][1]);
	if (*self)
		list_others(self, &seen);
	for (char *dir = path ? strtok_r(path, ":", &save) : NULL; dir; dir = strtok_r(NULL, ":", &save))
		if (strcmp(dir, self) != 0)
			list_others(dir, &seen);
	printf("\nExit codes are the stage's (README.md); 64 when STAGE is unknown.\n");
	for (size_t i = 0; i < seen.count; i++)
		free(seen.names[i]);
	free(path);
}

int main(int argc, char **argv)
{
	char self[PATH_MAX], exe[PATH_MAX + 16], name[128];
	cli c;

	cli_init(&c, "platci");
	own_dir(self, sizeof(self), argv[0]);
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
		(strcmp(argv[1], "help") == 0 && argc == 2)) {
		help(self);
		cli_dispose(&c);
		return argc < 2 ? CLI_EXIT_USAGE : 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		cli_print_version(&c);
		cli_dispose(&c);
		return 0;
	}
	if (strcmp(argv[1], "help") == 0) {
		/* platci help STAGE = platci STAGE --help */
		static char help_flag[] = "--help";
		argv[1] = argv[2];
		argv[2] = help_flag;
	}
	cli_dispose(&c);
	if (!is_stage_name(argv[1]) ||
		(size_t)snprintf(name, sizeof(name), "platci-%s", argv[1]) >= sizeof(name)) {
		fprintf(stderr, "platci: \"%s\" is not a stage name; see platci --help\n", argv[1]);
		return CLI_EXIT_USAGE;
	}
	argv[1] = name;
	if (*self && (size_t)snprintf(exe, sizeof(exe), "%s/%s", self, name) < sizeof(exe) &&
		access(exe, X_OK) == 0)
		execv(exe, argv + 1);
	execvp(name, argv + 1);
	if (errno == ENOENT) {
		fprintf(stderr, "platci: no stage \"%s\" (no %s beside platci or on PATH); see platci --help\n",
			name + 7, name);
		return CLI_EXIT_USAGE;
	}
	fprintf(stderr, "platci: cannot run %s: %s\n", name, strerror(errno));
	return CLI_EXIT_INTERNAL;
}
