#include <openssl/evp.h>
#include <openssl/hmac.h>

/* The SHA-1 of a git object (its "<kind> <size>\0" header, then its body), with the digest fetched
   once per process and one context per thread, reused: OpenSSL 3 looks the algorithm up again on
   every EVP_sha1() initialisation, and a context made and freed per object cost more than hashing a
   small object. Returns 1 on success. */
static inline int xj_sha1_object(const void *header, size_t header_length, const void *body, size_t body_length,
                                 unsigned char digest[20]) {
    static EVP_MD *sha1 = NULL;
    static _Thread_local EVP_MD_CTX *context = NULL;
    EVP_MD *known = __atomic_load_n(&sha1, __ATOMIC_ACQUIRE);
    if (known == NULL) {
        EVP_MD *fetched = EVP_MD_fetch(NULL, "SHA1", NULL);
        if (fetched == NULL) return 0;
        EVP_MD *expected = NULL;
        if (!__atomic_compare_exchange_n(&sha1, &expected, fetched, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
            EVP_MD_free(fetched);
            fetched = expected;
        }
        known = fetched;
    }
    if (context == NULL) context = EVP_MD_CTX_new();
    if (context == NULL) return 0;
    unsigned int length = 0;
    int ok = EVP_DigestInit_ex2(context, known, NULL) && EVP_DigestUpdate(context, header, header_length)
        && EVP_DigestUpdate(context, body, body_length) && EVP_DigestFinal_ex(context, digest, &length);
    return ok && length == 20;
}
