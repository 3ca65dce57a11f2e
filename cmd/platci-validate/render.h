/*
 * Rendering for platci-validate: the tools and cache it hands the library
 * (each cluster judged as rendered), and the rendered diff it writes
 * (rendered.diff, and the Markdown of the MR note's per-environment section).
 */
#ifndef PLATCI_VALIDATE_RENDER_H
#define PLATCI_VALIDATE_RENDER_H

#include "cli.h"

typedef struct vrender {
	platci_render_tools tools;
	char *cache; /* the render cache folder (owned), or NULL */
	char *excl[4]; /* repo-relative folders kept out of cache keys, NULL-terminated */
	platci_buf diff; /* rendered.diff */
	platci_buf md; /* its note section */
} vrender;

/* Sets the render fields of @p o (none with @p off: the library says so in a finding). */
void vrender_setup(vrender *r, cli *c, const platci_config *cfg, const char *cache_dir,
	int no_cache, int off, platci_validate_options *o);

/*
 * With a merge base compared (@p compared): writes rendered.diff to the
 * reports folder and sets r->md to the note's section (60 kB at most; the
 * rest behind a link to the artifact). Returns 0 or an exit code.
 */
int vrender_write(vrender *r, cli *c, int compared);

void vrender_dispose(vrender *r);

#endif
