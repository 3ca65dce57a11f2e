/*
 * What platci-render and platci-validate share about rendering: the
 * default render cache folder and the folders kept out of its keys.
 */
#ifndef PLATCI_CLI_RENDER_H
#define PLATCI_CLI_RENDER_H

/* $XDG_CACHE_HOME/platci/render, else ~/.cache/platci/render (malloc'ed); NULL when neither is set. */
char *cli_render_cache_default(void);

/* Repo-relative form of @p dir when it lies inside @p root (created first), else NULL (malloc'ed). */
char *cli_render_inside(const char *root, const char *dir);

#endif
