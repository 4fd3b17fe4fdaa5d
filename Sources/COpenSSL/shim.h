#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/err.h>
#include <openssl/crypto.h>
#include <openssl/bn.h>
#include <openssl/rsa.h>
#include <openssl/param_build.h>
#include <openssl/core_names.h>

/* Selections for EVP_PKEY_fromdata; the OpenSSL macros are expressions Swift cannot import. */
static const int capstan_select_public_key = EVP_PKEY_PUBLIC_KEY;
static const int capstan_select_key_pair = EVP_PKEY_KEYPAIR;
