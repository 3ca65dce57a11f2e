/**
 * @file platci/common.h
 * @brief Export macros, version numbers and the allocator shared by all modules.
 */
#ifndef PLATCI_COMMON_H
#define PLATCI_COMMON_H

#include <stddef.h>

#ifdef __cplusplus
#define PLATCI_BEGIN_DECL extern "C" {
#define PLATCI_END_DECL }
#else
#define PLATCI_BEGIN_DECL
#define PLATCI_END_DECL
#endif

#if defined(__GNUC__) && __GNUC__ >= 4
#define PLATCI_EXTERN(type) __attribute__((visibility("default"))) type
#else
#define PLATCI_EXTERN(type) type
#endif

#if defined(__GNUC__)
#define PLATCI_WARN_UNUSED __attribute__((warn_unused_result))
#define PLATCI_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define PLATCI_WARN_UNUSED
#define PLATCI_PRINTF(fmt, args)
#endif

#define PLATCI_VERSION_MAJOR 0
#define PLATCI_VERSION_MINOR 1
#define PLATCI_VERSION_PATCH 0
#define PLATCI_VERSION "0.1.0"
/** Version as one comparable number: 0xMMmmpp. */
#define PLATCI_VERSION_NUMBER \
	((PLATCI_VERSION_MAJOR << 16) | (PLATCI_VERSION_MINOR << 8) | PLATCI_VERSION_PATCH)

PLATCI_BEGIN_DECL

/** The library's version string at run time, e.g. "0.1.0". Never NULL. */
PLATCI_EXTERN(const char *) platci_version(void);

/**
 * Frees memory that the library allocated and handed to the caller
 * (for example a string detached from a platci_buf). NULL is a no-op.
 */
PLATCI_EXTERN(void) platci_free(void *ptr);

PLATCI_END_DECL

#endif
