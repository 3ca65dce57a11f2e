/* platci-render's options and its one run: models per environment, reports, objects, --list. */
#ifndef PLATCI_RENDER_CMD_H
#define PLATCI_RENDER_CMD_H

#include "cli.h"

typedef struct render_cmd {
	cli c;
	const char *path, *root, *chart_cache, *out, *cache_dir;
	platci_fluxmodel_local_source *sources;
	size_t source_count;
	unsigned int jobs;
	size_t max_ks;
	unsigned int timeout_s;
	int strict, list, no_cache;
	char *cache_owned;
} render_cmd;

void render_cmd_init(render_cmd *r, const char *prog);
void render_cmd_dispose(render_cmd *r);

/* Applies flag @p name's value ("--jobs", "--timeout", "--max-kustomizations", "--sources"). 0, or a usage exit code (printed). */
int render_cmd_value(render_cmd *r, const char *name, const char *value);
/* Builds every model, writes render.json, the common reports and the objects. An exit code. */
int render_cmd_run(render_cmd *r);

#endif
