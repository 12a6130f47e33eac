/* satori-test-vectors.h — key fixtures shared by the key and peer-id tests */
#pragma once

/* libp2p/specs peer-ids/peer-ids.md: PublicKey protobufs of the spec's keys. */
extern const char spec_ed25519_public[];
extern const char spec_secp256k1_public[];
extern const char spec_ecdsa_public[];
/* go-libp2p core/crypto/test_data/3.pub (ECDSA P-256). */
extern const char go_ecdsa_public[];
