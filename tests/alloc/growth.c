/*
 * Memory that grows linearly with the input. Counted in bytes requested
 * (allocfail.c), not in time: a quadratic loader shows up as bytes long
 * before it shows up as a slow test.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <platci.h>

#include "allocfail.h"
#include "platci/buf.h"

/*
 * A stream of @p n small documents, as a cluster's apps.yaml with one
 * Flux Kustomization per app is. Each document is ~120 bytes and a few
 * nodes, so a linear loader asks for well under 2 KiB per document
 * (arena blocks, node structs, the roots array). The loader that grew the
 * roots array by one entry per document asked for 8*n*n/2 bytes more:
 * 64 MB at n = 4,000.
 */
static size_t bytes_for_stream(size_t n)
{
	platci_buf src = PLATCI_BUF_INIT;
	platci_doc *doc = NULL;
	size_t bytes;

	for (size_t i = 0; i < n; i++)
		platci_buf_printf(&src,
			"---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n"
			"metadata:\n  name: app%05zu\n  namespace: flux-system\n",
			i);
	cr_assert_eq(src.error, 0);
	af_bytes_reset();
	cr_assert_eq(platci_doc_load_buffer(&doc, "apps.yaml", src.ptr, src.size, NULL, NULL), 0);
	bytes = af_bytes();
	cr_assert_eq(platci_doc_count(doc), n);
	cr_assert_not_null(platci_doc_root_at(doc, n - 1));
	platci_doc_free(doc);
	platci_buf_dispose(&src);
	return bytes;
}

Test(growth, a_stream_of_documents_costs_linear_memory)
{
	size_t small = bytes_for_stream(400), large = bytes_for_stream(4000);

	cr_log_info("400 documents: %zu bytes; 4,000: %zu bytes", small, large);
	cr_expect_lt(large, (size_t)4000 * 2048, "4,000 documents asked for %zu bytes", large);
	/* 10x the documents, at most ~10x the bytes (arena blocks round up). */
	cr_expect_lt(large, small * 14, "400 documents: %zu bytes; 4,000: %zu bytes", small, large);
}
