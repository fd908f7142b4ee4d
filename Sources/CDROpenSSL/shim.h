#ifndef CDROPENSSL_SHIM_H
#define CDROPENSSL_SHIM_H
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/err.h>
#include <openssl/crypto.h>

/* GCM's tag is read and set through EVP_CIPHER_CTX_ctrl with a void pointer; typed
   wrappers keep the control codes and the cast in one place. */
static inline int cdr_gcm_get_tag(EVP_CIPHER_CTX *ctx, unsigned char *tag, int length) {
  return EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, length, tag);
}

static inline int cdr_gcm_set_tag(EVP_CIPHER_CTX *ctx, const unsigned char *tag, int length) {
  return EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, length, (void *)tag);
}
#endif
