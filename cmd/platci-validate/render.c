/* platci-validate's rendering: tools and cache in, rendered.diff and its note section out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_render.h"
#include "render.h"

void vrender_setup(vrender *r, cli *c, const platci_config *cfg, const char *cache_dir,
	int no_cache, int off, platci_validate_options *o)
{
	const char *root = platci_config_root(cfg);
	size_t k = 0;
	char *x;

	memset(r, 0, sizeof(*r));
	if (off) {
		cli_info(c,
			"%s: --no-render: the source files are judged, not what each cluster "
			"applies",
			c->prog);
		return;
	}
	if (!no_cache)
		r->cache = cache_dir ? strdup(cache_dir) : cli_render_cache_default();
	platci_render_tools_find(&r->tools, getenv("PATH"), getenv("TMPDIR"), r->cache);
	/* the reports and the cache change with every run: never part of a key */
	if ((x = cli_render_inside(root, c->reports)) != NULL)
		r->excl[k++] = x;
	if ((x = cli_render_inside(root, r->cache)) != NULL)
		r->excl[k++] = x;
	o->render = &r->tools;
	o->render_cache = r->cache;
	o->render_cache_exclude = (const char *const *)r->excl;
	o->rendered_diff = &r->diff;
}

int vrender_write(vrender *r, cli *c, int compared)
{
	const char *job_url = getenv("CI_JOB_URL");
	char url[2048];
	int code;

	if (!compared || !r->tools.kustomize[0])
		return 0;
	if ((code = cli_write_report(c, "rendered.diff", r->diff.ptr, r->diff.size)) != 0)
		return code;
	/* A relative reports folder is where the artifact lives in the job. */
	if (job_url && *job_url && c->reports[0] != '/')
		snprintf(url, sizeof(url), "%s/artifacts/file/%s/rendered.diff", job_url, c->reports);
	if (platci_fluxmodel_diff_markdown(&r->md, r->diff.ptr, r->diff.size, 0,
		    job_url && *job_url && c->reports[0] != '/' ? url : NULL) < 0)
		return CLI_EXIT_INTERNAL;
	return 0;
}

void vrender_dispose(vrender *r)
{
	free(r->cache);
	for (size_t i = 0; i < 4; i++)
		free(r->excl[i]);
	platci_buf_dispose(&r->diff);
	platci_buf_dispose(&r->md);
	memset(r, 0, sizeof(*r));
}
