/*
 * eseal_sm2: standard SM2 signatures (GB/T 32918.2, with Z and the signer ID) through the OpenSSL 3
 * that is statically linked into the node binary and exports its symbols. We link nothing else: the
 * symbols resolve against node at load time, so the binding always uses the exact OpenSSL node uses.
 *
 * Why not node:crypto? Its sign() cannot set the SM2 distinguishing ID (it signs with an empty ID or
 * as plain ECDSA, neither of which interoperates). EVP_PKEY_CTX_set1_id is the missing piece.
 *
 * Keys are EVP_PKEYs inside napi_externals, tagged so that a foreign external is never taken for ours.
 * No state is global, so the module is safe to load in worker threads.
 */
#define NAPI_VERSION 8
#include <node_api.h>

#include <stdio.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/opensslv.h>
#include <openssl/param_build.h>

/* DER SEQUENCE{r, s} for a 256-bit curve is at most 72 bytes. */
#define SIG_MAX 80

/* Tags distinguish our handles from any other external (random 128-bit constants). */
static const napi_type_tag KEY_TAG = {0x9b1e5c2a7d4f4e31ULL, 0xa6c0d2e8f1b34c57ULL};

typedef struct {
  EVP_PKEY *pkey;
  int has_private;
} sm2_key;

/* ---- errors ------------------------------------------------------------------------------------ */

/* Throws Error("<what>: <OpenSSL reason>") and empties OpenSSL's per-thread error queue, which node's
 * own crypto code would otherwise see as a pending error on its next call. */
static napi_value throw_openssl(napi_env env, const char *what) {
  char reason[256] = "no OpenSSL error recorded";
  unsigned long code = ERR_peek_last_error();
  if (code != 0) ERR_error_string_n(code, reason, sizeof reason);
  ERR_clear_error();
  char msg[384];
  snprintf(msg, sizeof msg, "%s: %s", what, reason);
  napi_throw_error(env, "ERR_ESEAL_SM2_OPENSSL", msg);
  return NULL;
}

#define NAPI_OK(call)                                                                   \
  do {                                                                                  \
    if ((call) != napi_ok) {                                                            \
      bool pending_ = false;                                                            \
      napi_is_exception_pending(env, &pending_);                                        \
      if (!pending_) napi_throw_error(env, "ERR_ESEAL_SM2_NAPI", "N-API call failed: " #call); \
      return NULL;                                                                      \
    }                                                                                   \
  } while (0)

/* ---- argument checking ---------------------------------------------------------------------------- */

/* Reads a Uint8Array argument (a Buffer is one too). exact_len < 0 means any length. */
static bool get_bytes(napi_env env, napi_value v, const char *name, long exact_len, const unsigned char **data,
                      size_t *len) {
  bool is_ta = false;
  napi_typedarray_type type;
  void *ptr = NULL;
  char msg[160];
  if (napi_is_typedarray(env, v, &is_ta) != napi_ok || !is_ta ||
      napi_get_typedarray_info(env, v, &type, len, &ptr, NULL, NULL) != napi_ok || type != napi_uint8_array) {
    snprintf(msg, sizeof msg, "%s must be a Uint8Array", name);
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", msg);
    return false;
  }
  if (exact_len >= 0 && *len != (size_t)exact_len) {
    snprintf(msg, sizeof msg, "%s must be %ld bytes, got %zu", name, exact_len, *len);
    napi_throw_type_error(env, "ERR_INVALID_ARG_VALUE", msg);
    return false;
  }
  /* An empty typed array may have no backing store; OpenSSL still wants a valid pointer. */
  *data = ptr != NULL ? (const unsigned char *)ptr : (const unsigned char *)"";
  return true;
}

static sm2_key *get_key(napi_env env, napi_value v, bool need_private) {
  napi_valuetype t;
  bool tagged = false;
  void *p = NULL;
  if (napi_typeof(env, v, &t) != napi_ok || t != napi_external ||
      napi_check_object_type_tag(env, v, &KEY_TAG, &tagged) != napi_ok || !tagged ||
      napi_get_value_external(env, v, &p) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "key must be a handle from privateKey() or publicKey()");
    return NULL;
  }
  sm2_key *k = p;
  if (need_private && !k->has_private) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_VALUE", "signing needs a handle from privateKey(), not publicKey()");
    return NULL;
  }
  return k;
}

static bool get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv) {
  size_t argc = want;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return false;
  if (argc < want) {
    char msg[64];
    snprintf(msg, sizeof msg, "expected %zu arguments, got %zu", want, argc);
    napi_throw_type_error(env, "ERR_MISSING_ARGS", msg);
    return false;
  }
  return true;
}

/* A fresh Uint8Array (not a Buffer: eseal's pure layers compare and slice plain Uint8Arrays). */
static napi_value new_u8(napi_env env, const unsigned char *src, size_t len) {
  void *dst;
  napi_value ab, out;
  NAPI_OK(napi_create_arraybuffer(env, len, &dst, &ab));
  memcpy(dst, src, len);
  NAPI_OK(napi_create_typedarray(env, napi_uint8_array, len, ab, 0, &out));
  return out;
}

/* ---- keys ------------------------------------------------------------------------------------------- */

static void key_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  sm2_key *k = data;
  EVP_PKEY_free(k->pkey);
  OPENSSL_free(k);
}

static napi_value wrap_key(napi_env env, EVP_PKEY *pkey, int has_private) {
  sm2_key *k = OPENSSL_zalloc(sizeof *k);
  napi_value ext;
  if (k == NULL) {
    EVP_PKEY_free(pkey);
    return throw_openssl(env, "SM2 key: out of memory");
  }
  k->pkey = pkey;
  k->has_private = has_private;
  if (napi_create_external(env, k, key_finalize, NULL, &ext) != napi_ok) {
    key_finalize(env, k, NULL);
    napi_throw_error(env, "ERR_ESEAL_SM2_NAPI", "SM2 key: cannot create the handle");
    return NULL;
  }
  NAPI_OK(napi_type_tag_object(env, ext, &KEY_TAG));
  return ext;
}

/* EVP_PKEY of type SM2 (so that OpenSSL picks the SM2 signature, not ECDSA) from OSSL_PARAMs. */
static EVP_PKEY *pkey_from_params(OSSL_PARAM_BLD *bld, int selection) {
  OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "SM2", NULL);
  EVP_PKEY *pkey = NULL;
  if (params == NULL || ctx == NULL || EVP_PKEY_fromdata_init(ctx) <= 0 ||
      EVP_PKEY_fromdata(ctx, &pkey, selection, params) <= 0) {
    pkey = NULL;
  }
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  return pkey;
}

/* privateKey(d: 32 bytes) -> handle. OpenSSL 3.0's import does not derive the public point, and
 * SM2 needs it for Z, so it is computed here. d must be in [1, n-2] (GB/T 32918.1 §6.1). */
static napi_value private_key(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  const unsigned char *d_bytes;
  size_t d_len;
  if (!get_args(env, info, 1, argv) || !get_bytes(env, argv[0], "private key", 32, &d_bytes, &d_len)) return NULL;

  EC_GROUP *group = EC_GROUP_new_by_curve_name(NID_sm2);
  /* A "secure" BIGNUM makes OSSL_PARAM_BLD put its copy of d where OSSL_PARAM_free clears it. */
  BIGNUM *d = BN_secure_new();
  BIGNUM *max = BN_new();
  EC_POINT *pub = group ? EC_POINT_new(group) : NULL;
  OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
  unsigned char pub_oct[65];
  EVP_PKEY *pkey = NULL;
  const char *err = NULL;
  bool out_of_range = false;

  if (group == NULL || d == NULL || max == NULL || pub == NULL || bld == NULL || !BN_bin2bn(d_bytes, 32, d)) {
    err = "SM2 private key: out of memory";
  } else if (!BN_copy(max, EC_GROUP_get0_order(group)) || !BN_sub_word(max, 2)) {
    err = "SM2 private key: cannot compute n-2";
  } else if (BN_is_zero(d) || BN_cmp(d, max) > 0) {
    out_of_range = true;
  } else if (!EC_POINT_mul(group, pub, d, NULL, NULL, NULL) ||
             EC_POINT_point2oct(group, pub, POINT_CONVERSION_UNCOMPRESSED, pub_oct, sizeof pub_oct, NULL) != 65) {
    err = "SM2 private key: cannot derive the public key";
  } else if (!OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "SM2", 0) ||
             !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d) ||
             !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub_oct, sizeof pub_oct)) {
    err = "SM2 private key: cannot build the key parameters";
  } else if ((pkey = pkey_from_params(bld, EVP_PKEY_KEYPAIR)) == NULL) {
    err = "SM2 private key: OpenSSL rejected the key";
  }

  BN_clear_free(d);
  BN_free(max);
  EC_POINT_free(pub);
  EC_GROUP_free(group);
  OSSL_PARAM_BLD_free(bld);
  if (out_of_range) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "SM2 private key is out of range [1, n-2]");
    return NULL;
  }
  if (err != NULL) return throw_openssl(env, err);
  return wrap_key(env, pkey, 1);
}

/* publicKey(04||x||y) -> handle. The import rejects points that are not on the curve. */
static napi_value public_key(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  const unsigned char *p;
  size_t len;
  if (!get_args(env, info, 1, argv) || !get_bytes(env, argv[0], "public key", 65, &p, &len)) return NULL;
  if (p[0] != 0x04) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_VALUE", "public key must be uncompressed (04||x||y)");
    return NULL;
  }
  OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
  EVP_PKEY *pkey = NULL;
  if (bld != NULL && OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "SM2", 0) &&
      OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, p, len)) {
    pkey = pkey_from_params(bld, EVP_PKEY_PUBLIC_KEY);
  }
  OSSL_PARAM_BLD_free(bld);
  if (pkey == NULL) return throw_openssl(env, "SM2 public key is not a point on the SM2 curve");
  return wrap_key(env, pkey, 0);
}

/* ---- sign / verify over M (Z with the ID computed by OpenSSL) -------------------------------------- */

/* The documented SM2 pattern: the ID goes on a PKEY_CTX that the MD_CTX then uses. The MD_CTX does
 * not own that PKEY_CTX, so both are freed by the caller. */
static EVP_MD_CTX *digest_ctx(EVP_PKEY *pkey, const unsigned char *id, size_t id_len, int for_sign,
                              EVP_PKEY_CTX **pctx_out) {
  EVP_MD_CTX *mctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
  *pctx_out = pctx;
  if (mctx == NULL || pctx == NULL || EVP_PKEY_CTX_set1_id(pctx, id, id_len) <= 0) goto fail;
  EVP_MD_CTX_set_pkey_ctx(mctx, pctx);
  if ((for_sign ? EVP_DigestSignInit(mctx, NULL, EVP_sm3(), NULL, pkey)
                : EVP_DigestVerifyInit(mctx, NULL, EVP_sm3(), NULL, pkey)) <= 0)
    goto fail;
  return mctx;
fail:
  EVP_MD_CTX_free(mctx);
  return NULL;
}

/* SM2 sign of msg with the ID into sig (SIG_MAX bytes); 1 on success. Used on the main thread and the pool. */
static int sign_into(EVP_PKEY *pkey, const unsigned char *msg, size_t msg_len, const unsigned char *id, size_t id_len,
                     unsigned char *sig, size_t *sig_len) {
  *sig_len = SIG_MAX;
  EVP_PKEY_CTX *pctx;
  EVP_MD_CTX *mctx = digest_ctx(pkey, id, id_len, 1, &pctx);
  int ok = mctx != NULL && EVP_DigestSign(mctx, sig, sig_len, msg, msg_len) > 0;
  EVP_MD_CTX_free(mctx);
  EVP_PKEY_CTX_free(pctx);
  return ok;
}

/* SM2 sign of a precomputed e = SM3(Z||M) into sig (SIG_MAX bytes); 1 on success. */
static int sign_digest_into(EVP_PKEY *pkey, const unsigned char *e, size_t e_len, unsigned char *sig, size_t *sig_len) {
  *sig_len = SIG_MAX;
  EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
  int ok = pctx != NULL && EVP_PKEY_sign_init(pctx) > 0 && EVP_PKEY_sign(pctx, sig, sig_len, e, e_len) > 0;
  EVP_PKEY_CTX_free(pctx);
  return ok;
}

/* (key, message, user ID) of sign and signAsync; false with a JavaScript exception pending. */
static bool sign_args(napi_env env, napi_callback_info info, napi_value *argv, sm2_key **k, const unsigned char **msg, size_t *msg_len,
                      const unsigned char **id, size_t *id_len) {
  if (!get_args(env, info, 3, argv) || (*k = get_key(env, argv[0], true)) == NULL ||
      !get_bytes(env, argv[1], "message", -1, msg, msg_len) || !get_bytes(env, argv[2], "user ID", -1, id, id_len))
    return false;
  if (*id_len > 8191) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "SM2 user ID longer than 8191 bytes");
    return false;
  }
  return true;
}

static napi_value sign(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  const unsigned char *msg, *id;
  size_t msg_len, id_len;
  sm2_key *k;
  if (!sign_args(env, info, argv, &k, &msg, &msg_len, &id, &id_len)) return NULL;
  unsigned char sig[SIG_MAX];
  size_t sig_len;
  if (!sign_into(k->pkey, msg, msg_len, id, id_len, sig, &sig_len)) return throw_openssl(env, "SM2 sign failed");
  return new_u8(env, sig, sig_len);
}

/* Returns 1 valid, 0 invalid. OpenSSL returns -1 (not 0) for a signature that is not canonical DER;
 * to a verifier that is just "does not verify" (the facade reports malformed encodings itself). A
 * failure to set up the contexts is a real error and throws. */
static napi_value verify(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  const unsigned char *msg, *sig, *id;
  size_t msg_len, sig_len, id_len;
  sm2_key *k;
  if (!get_args(env, info, 4, argv) || (k = get_key(env, argv[0], false)) == NULL ||
      !get_bytes(env, argv[1], "message", -1, &msg, &msg_len) ||
      !get_bytes(env, argv[2], "signature", -1, &sig, &sig_len) ||
      !get_bytes(env, argv[3], "user ID", -1, &id, &id_len))
    return NULL;
  if (id_len > 8191) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "SM2 user ID longer than 8191 bytes");
    return NULL;
  }
  EVP_PKEY_CTX *pctx;
  EVP_MD_CTX *mctx = digest_ctx(k->pkey, id, id_len, 0, &pctx);
  if (mctx == NULL) {
    EVP_PKEY_CTX_free(pctx);
    return throw_openssl(env, "SM2 verify: cannot set up OpenSSL");
  }
  int rc = EVP_DigestVerify(mctx, sig, sig_len, msg, msg_len);
  EVP_MD_CTX_free(mctx);
  EVP_PKEY_CTX_free(pctx);
  ERR_clear_error();
  napi_value out;
  NAPI_OK(napi_get_boolean(env, rc == 1, &out));
  return out;
}

/* ---- sign / verify over a precomputed e = SM3(Z||M) ------------------------------------------------- */

/* (private key, e) of signDigest and signDigestAsync; false with a JavaScript exception pending. */
static bool digest_args(napi_env env, napi_callback_info info, napi_value *argv, sm2_key **k, const unsigned char **e, size_t *e_len) {
  return get_args(env, info, 2, argv) && (*k = get_key(env, argv[0], true)) != NULL && get_bytes(env, argv[1], "digest e", 32, e, e_len);
}

static napi_value sign_digest(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  const unsigned char *e;
  size_t e_len;
  sm2_key *k;
  if (!digest_args(env, info, argv, &k, &e, &e_len)) return NULL;
  unsigned char sig[SIG_MAX];
  size_t sig_len;
  if (!sign_digest_into(k->pkey, e, e_len, sig, &sig_len)) return throw_openssl(env, "SM2 signDigest failed");
  return new_u8(env, sig, sig_len);
}

static napi_value verify_digest(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  const unsigned char *e, *sig;
  size_t e_len, sig_len;
  sm2_key *k;
  if (!get_args(env, info, 3, argv) || (k = get_key(env, argv[0], false)) == NULL ||
      !get_bytes(env, argv[1], "digest e", 32, &e, &e_len) || !get_bytes(env, argv[2], "signature", -1, &sig, &sig_len))
    return NULL;
  EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_pkey(NULL, k->pkey, NULL);
  if (pctx == NULL || EVP_PKEY_verify_init(pctx) <= 0) {
    EVP_PKEY_CTX_free(pctx);
    return throw_openssl(env, "SM2 verifyDigest: cannot set up OpenSSL");
  }
  int rc = EVP_PKEY_verify(pctx, sig, sig_len, e, e_len);
  EVP_PKEY_CTX_free(pctx);
  ERR_clear_error();
  napi_value out;
  NAPI_OK(napi_get_boolean(env, rc == 1, &out));
  return out;
}


/* ---- asynchronous signing on the libuv thread pool ------------------------------------------------- */

/* A server stamping documents signs on the pool while the main thread serves HTTP and the database:
 * on 2 cores that is nearly twice the signatures. The message and ID are copied (JS may change or
 * free its buffers meanwhile) and the key handle is kept alive by a reference until completion. */
/* Settles a job's promise: a Uint8Array copy of bytes when ok, else an Error with the message. */
static void settle_bytes(napi_env env, napi_deferred deferred, bool ok, const unsigned char *bytes, size_t len, const char *error) {
  napi_value result = NULL;
  if (ok) {
    void *dst;
    napi_value ab;
    if (napi_create_arraybuffer(env, len, &dst, &ab) == napi_ok) {
      memcpy(dst, bytes, len);
      if (napi_create_typedarray(env, napi_uint8_array, len, ab, 0, &result) != napi_ok) result = NULL;
    }
  }
  if (result != NULL) {
    napi_resolve_deferred(env, deferred, result);
  } else {
    napi_value msg, err;
    napi_create_string_utf8(env, ok ? "cannot return the result" : error, NAPI_AUTO_LENGTH, &msg);
    napi_create_error(env, NULL, msg, &err);
    napi_reject_deferred(env, deferred, err);
  }
}

typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  napi_ref key_ref;
  EVP_PKEY *pkey;
  unsigned char *msg;
  size_t msg_len;
  unsigned char *id;
  size_t id_len;
  unsigned char sig[SIG_MAX];
  size_t sig_len;
  int digest; /* msg is e = SM3(Z||M), 32 bytes */
  int ok;
  char error[256];
} sign_job;

static void sign_job_execute(napi_env env, void *data) {
  (void)env;
  sign_job *j = data;
  j->ok = j->digest ? sign_digest_into(j->pkey, j->msg, j->msg_len, j->sig, &j->sig_len)
                    : sign_into(j->pkey, j->msg, j->msg_len, j->id, j->id_len, j->sig, &j->sig_len);
  if (!j->ok) {
    unsigned long code = ERR_peek_last_error();
    snprintf(j->error, sizeof j->error, "SM2 sign failed: %s", code ? ERR_error_string(code, NULL) : "no OpenSSL error recorded");
  }
  ERR_clear_error(); /* the pool thread's queue must not leak into later work on that thread */
}

static void sign_job_complete(napi_env env, napi_status status, void *data) {
  sign_job *j = data;
  settle_bytes(env, j->deferred, status == napi_ok && j->ok, j->sig, j->sig_len, j->error);
  napi_delete_reference(env, j->key_ref);
  napi_delete_async_work(env, j->work);
  OPENSSL_free(j->msg);
  OPENSSL_free(j->id);
  OPENSSL_free(j);
}

/* Queues a sign job for key argv[0] over msg (with the ID, or a digest e when id is NULL). */
static napi_value queue_sign(napi_env env, napi_value key_value, sm2_key *k, const unsigned char *msg, size_t msg_len,
                             const unsigned char *id, size_t id_len) {
  sign_job *j = OPENSSL_zalloc(sizeof *j);
  if (j == NULL) return throw_openssl(env, "SM2 signAsync: out of memory");
  j->pkey = k->pkey;
  j->digest = id == NULL;
  j->msg = OPENSSL_malloc(msg_len ? msg_len : 1);
  j->id = OPENSSL_malloc(id_len ? id_len : 1);
  if (j->msg == NULL || j->id == NULL) {
    OPENSSL_free(j->msg);
    OPENSSL_free(j->id);
    OPENSSL_free(j);
    return throw_openssl(env, "SM2 signAsync: out of memory");
  }
  memcpy(j->msg, msg, msg_len);
  j->msg_len = msg_len;
  if (id_len) memcpy(j->id, id, id_len);
  j->id_len = id_len;
  napi_value promise, name;
  if (napi_create_reference(env, key_value, 1, &j->key_ref) != napi_ok || napi_create_promise(env, &j->deferred, &promise) != napi_ok ||
      napi_create_string_utf8(env, "eseal_sm2_sign", NAPI_AUTO_LENGTH, &name) != napi_ok ||
      napi_create_async_work(env, NULL, name, sign_job_execute, sign_job_complete, j, &j->work) != napi_ok ||
      napi_queue_async_work(env, j->work) != napi_ok) {
    OPENSSL_free(j->msg);
    OPENSSL_free(j->id);
    OPENSSL_free(j);
    napi_throw_error(env, "ERR_ESEAL_SM2_NAPI", "SM2 signAsync: cannot queue the work");
    return NULL;
  }
  return promise;
}

static napi_value sign_async(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  const unsigned char *msg, *id;
  size_t msg_len, id_len;
  sm2_key *k;
  if (!sign_args(env, info, argv, &k, &msg, &msg_len, &id, &id_len)) return NULL;
  return queue_sign(env, argv[0], k, msg, msg_len, id, id_len); /* get_bytes never gives NULL */
}

/* As signDigest, on the pool: for callers that compute e themselves (a cached SM3 midstate). */
static napi_value sign_digest_async(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  const unsigned char *e;
  size_t e_len;
  sm2_key *k;
  if (!digest_args(env, info, argv, &k, &e, &e_len)) return NULL;
  return queue_sign(env, argv[0], k, e, e_len, NULL, 0);
}

/* SM3 of a large buffer on the libuv thread pool: a server hashes what it returns (a signature that
 * embeds the whole seal, tens of KiB) without holding its main thread for it. */
typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  unsigned char *data;
  size_t len;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len;
  int ok;
} sm3_job;

static void sm3_job_execute(napi_env env, void *data) {
  (void)env;
  sm3_job *j = data;
  j->ok = EVP_Digest(j->data, j->len, j->md, &j->md_len, EVP_sm3(), NULL);
  ERR_clear_error();
}

static void sm3_job_complete(napi_env env, napi_status status, void *data) {
  sm3_job *j = data;
  settle_bytes(env, j->deferred, status == napi_ok && j->ok, j->md, j->md_len, "SM3 digest failed");
  napi_delete_async_work(env, j->work);
  OPENSSL_free(j->data);
  OPENSSL_free(j);
}

static napi_value sm3_async(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  const unsigned char *data;
  size_t len;
  if (!get_args(env, info, 1, argv) || !get_bytes(env, argv[0], "data", -1, &data, &len)) return NULL;
  sm3_job *j = OPENSSL_zalloc(sizeof *j);
  if (j == NULL || (j->data = OPENSSL_malloc(len ? len : 1)) == NULL) {
    OPENSSL_free(j);
    return throw_openssl(env, "SM3 digestAsync: out of memory");
  }
  memcpy(j->data, data, len);
  j->len = len;
  napi_value promise, name;
  if (napi_create_promise(env, &j->deferred, &promise) != napi_ok ||
      napi_create_string_utf8(env, "eseal_sm3", NAPI_AUTO_LENGTH, &name) != napi_ok ||
      napi_create_async_work(env, NULL, name, sm3_job_execute, sm3_job_complete, j, &j->work) != napi_ok ||
      napi_queue_async_work(env, j->work) != napi_ok) {
    OPENSSL_free(j->data);
    OPENSSL_free(j);
    napi_throw_error(env, "ERR_ESEAL_SM3_NAPI", "SM3 digestAsync: cannot queue the work");
    return NULL;
  }
  return promise;
}

static napi_value version(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  NAPI_OK(napi_create_string_utf8(env, OpenSSL_version(OPENSSL_VERSION), NAPI_AUTO_LENGTH, &out));
  return out;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor props[] = {
      {"version", NULL, version, NULL, NULL, NULL, napi_enumerable, NULL},
      {"privateKey", NULL, private_key, NULL, NULL, NULL, napi_enumerable, NULL},
      {"publicKey", NULL, public_key, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sign", NULL, sign, NULL, NULL, NULL, napi_enumerable, NULL},
      {"signAsync", NULL, sign_async, NULL, NULL, NULL, napi_enumerable, NULL},
      {"verify", NULL, verify, NULL, NULL, NULL, napi_enumerable, NULL},
      {"signDigest", NULL, sign_digest, NULL, NULL, NULL, napi_enumerable, NULL},
      {"signDigestAsync", NULL, sign_digest_async, NULL, NULL, NULL, napi_enumerable, NULL},
      {"verifyDigest", NULL, verify_digest, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sm3Async", NULL, sm3_async, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}
