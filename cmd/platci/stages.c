/* platci's umbrella: the stages it knows, where it looks for them, and its --help. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <platci.h>

#include "stages.h"

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
	{ "render", "what each environment's cluster applies, rendered by kustomize/helm" },
	{ "schemas", "fetch, list and check Kubernetes schemas offline" },
	{ "report", "one self-contained page of the platform from every stage's reports" },
};

int stage_is_name(const char *s)
{
	if (!*s || *s == '-')
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return 0;
	return 1;
}

void stage_own_dir(char *out, size_t size, const char *argv0)
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

/* One entry of a folder on the search path: an executable platci-STAGE not met before. */
static int other_entry(const char *rel, const char *full, const struct stat *st, void *payload)
{
	const char *name = rel + 7;

	(void)st;
	if (strncmp(rel, "platci-", 7) == 0 && stage_is_name(name) && !is_listed(name) &&
		access(full, X_OK) == 0 && seen_add(payload, name))
		printf("  %-10s (%s)\n", name, full);
	return 0;
}

/*
 * Other platci-* executables in @p dir (plugins, newer runners), once each,
 * in name order. The library's one walker (fs.h) lists the folder: the
 * umbrella reaches only public headers, and listing a folder is a file
 * system job, not a stage's.
 */
static void list_others(const char *dir, seen_list *seen)
{
	platci_fs_walk(dir, 0, 0, other_entry, seen);
}

void stage_help(const char *self)
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
