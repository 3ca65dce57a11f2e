/**
 * @file platci/json.h
 * @brief Small JSON documents through jansson, with platci's error shape.
 *
 * For configuration, facts files and API responses: documents that fit
 * comfortably in memory. Inputs that may reach hundreds of megabytes
 * (Terraform plans, Trivy and Flux reports) go through
 * platci/json_stream.h instead.
 */
#ifndef PLATCI_JSON_H
#define PLATCI_JSON_H

#include <jansson.h>
#include "buf.h"
#include "diag.h"

PLATCI_BEGIN_DECL

/**
 * Parses @p len bytes of JSON. A leading UTF-8 byte-order mark is
 * skipped. Errors carry @p name, 1-based line and column, and the offset.
 *
 * @param[out] out a new reference; release with json_decref()
 * @return 0, PLATCI_ESYNTAX or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_json_parse(json_t **out, const char *name, const char *data, size_t len, platci_diag *diag);

/**
 * Reads and parses the file @p path, refusing files over @p max bytes
 * (0: 64 MiB). @return 0, PLATCI_ENOTFOUND, PLATCI_EIO, PLATCI_ELIMIT,
 * PLATCI_ESYNTAX or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_json_load_file(json_t **out, const char *path, size_t max, platci_diag *diag);

/**
 * Serialises @p value (sorted keys, 2-space indent, final newline) and
 * writes it atomically to @p path. @return 0, PLATCI_ENOMEM or PLATCI_EIO.
 */
PLATCI_EXTERN(int) platci_json_write_file(const char *path, const json_t *value, platci_diag *diag);

/** String member @p key of object @p obj, or NULL when absent or not a string. */
PLATCI_EXTERN(const char *) platci_json_str(const json_t *obj, const char *key);

PLATCI_END_DECL

#endif
