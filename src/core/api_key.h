/*
 * api_key.h
 *     The text of a personal API key: "phx_" followed by the key's random
 *     bytes in lower-case hex; the mask ("phx_...abcd") that stands for it
 *     wherever a key must be named without revealing it; and the form its
 *     hash is stored in.
 */
#ifndef PHRBAC_CORE_API_KEY_H
#define PHRBAC_CORE_API_KEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PHRBAC_API_KEY_PREFIX "phx_"
#define PHRBAC_API_KEY_PREFIX_LEN 4
#define PHRBAC_PROJECT_KEY_PREFIX "phs_"
#define PHRBAC_PROJECT_TOKEN_PREFIX "phc_"

/* What a presented token is, by its prefix and shape. */
typedef enum PhrbacTokenKind
{
	PHRBAC_TOKEN_MALFORMED = 0, /* none of the below */
	PHRBAC_TOKEN_PERSONAL_KEY,	/* phx_ and 64 hex digits */
	PHRBAC_TOKEN_PROJECT_KEY,	/* phs_ and 64 hex digits */
	PHRBAC_TOKEN_PROJECT_TOKEN	/* phc_ and 64 hex digits */
} PhrbacTokenKind;

/* Random bytes in a key (README, "API keys": 32). */
#define PHRBAC_API_KEY_RANDOM_BYTES 32

/* Length of a key's text, without the terminating NUL. */
#define PHRBAC_API_KEY_LEN (PHRBAC_API_KEY_PREFIX_LEN + 2 * PHRBAC_API_KEY_RANDOM_BYTES)

/* The mask keeps the prefix and the last few characters: "phx_...abcd". */
#define PHRBAC_API_KEY_MASK_TAIL 4
#define PHRBAC_API_KEY_MASK_LEN (PHRBAC_API_KEY_PREFIX_LEN + 3 + PHRBAC_API_KEY_MASK_TAIL)

/* What is stored instead of a key: "sha256$" and its SHA-256 digest in hex. */
#define PHRBAC_API_KEY_DIGEST_BYTES 32
#define PHRBAC_API_KEY_SECURE_VALUE_PREFIX "sha256$"
#define PHRBAC_API_KEY_SECURE_VALUE_LEN (7 + 2 * PHRBAC_API_KEY_DIGEST_BYTES)

/*
 * Writes the key text for random[0..PHRBAC_API_KEY_RANDOM_BYTES) into out,
 * which holds PHRBAC_API_KEY_LEN + 1 bytes.
 */
extern void phrbac_api_key_format(const uint8_t *random, char *out);

/* True when text[0..len) is a key's text: the prefix and 64 hex digits. */
extern bool phrbac_api_key_is_well_formed(const char *text, size_t len);

/*
 * Writes a token of the given prefix ("phs_", "phc_") for
 * random[0..PHRBAC_API_KEY_RANDOM_BYTES) into out, which holds
 * PHRBAC_API_KEY_LEN + 1 bytes.
 */
extern void phrbac_token_format(const char *prefix, const uint8_t *random, char *out);

/* What text[0..len) is: a personal key, a project key, a project token, or malformed. */
extern PhrbacTokenKind phrbac_token_kind(const char *text, size_t len);

/*
 * Writes the mask of a well-formed key or token (its own prefix kept) into out, which holds
 * PHRBAC_API_KEY_MASK_LEN + 1 bytes.
 */
extern void phrbac_api_key_mask(const char *key, char *out);

/*
 * Writes the stored form of a key's SHA-256 digest into out, which holds
 * PHRBAC_API_KEY_SECURE_VALUE_LEN + 1 bytes.
 */
extern void phrbac_api_key_secure_value(const uint8_t *digest, char *out);

#endif							/* PHRBAC_CORE_API_KEY_H */
