/* The render cache's default place, shared by platci-render and platci-validate. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_render.h"

char *cli_render_cache_default(void)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	const char *base = xdg && *xdg ? xdg : home;
	char *out;
	size_t n;

	if (!base || !*base)
		return NULL;
	n = strlen(base) + 32;
	if (!(out = malloc(n)))
		return NULL;
	snprintf(out, n, "%s%s/platci/render", base, xdg && *xdg ? "" : "/.cache");
	return out;
}

char *cli_render_inside(const char *root, const char *dir)
{
	char rr[PATH_MAX], rd[PATH_MAX];
	size_t n;

	if (!dir || platci_fs_mkdirs(dir, NULL) < 0 || !realpath(root, rr) || !realpath(dir, rd))
		return NULL;
	n = strlen(rr);
	return strncmp(rd, rr, n) == 0 && rd[n] == '/' ? strdup(rd + n + 1) : NULL;
}
