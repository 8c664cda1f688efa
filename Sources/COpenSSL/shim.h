#ifndef CORDON_COPENSSL_SHIM_H
#define CORDON_COPENSSL_SHIM_H
// The system's libcrypto, for SM4 (the `mem` forwarding profile): swift-crypto and the
// BoringSSL inside swift-nio-ssl have no SM4.
#include <openssl/evp.h>
#include <openssl/err.h>
#endif
