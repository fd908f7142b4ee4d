#ifndef CDRZSTD_SHIM_H
#define CDRZSTD_SHIM_H
#include <zstd.h>
#include <zstd_errors.h>

// ZSTD_CONTENTSIZE_UNKNOWN and ZSTD_CONTENTSIZE_ERROR are macros of arithmetic Swift does
// not import: typed functions instead.
static inline unsigned long long cdr_zstd_contentsize_unknown(void) { return ZSTD_CONTENTSIZE_UNKNOWN; }
static inline unsigned long long cdr_zstd_contentsize_error(void) { return ZSTD_CONTENTSIZE_ERROR; }

// The error code behind a size_t result, or ZSTD_error_no_error when it is a size.
static inline ZSTD_ErrorCode cdr_zstd_error_code(size_t result) {
  return ZSTD_isError(result) ? ZSTD_getErrorCode(result) : ZSTD_error_no_error;
}
#endif
