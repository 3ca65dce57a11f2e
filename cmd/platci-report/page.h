/* platci-report: building and writing the page, once the flags are parsed. */
#ifndef PLATCI_REPORT_PAGE_H
#define PLATCI_REPORT_PAGE_H

#include "cli.h"

typedef struct page_args {
	const char *out;
	const char *project_url;
	const char *title;
	size_t max_list;
	const char *dirs[64];
	size_t ndirs;
} page_args;

/* Builds the model, writes platform.json and index.html; returns the exit code. */
int page_run(cli *c, const page_args *a);

#endif
