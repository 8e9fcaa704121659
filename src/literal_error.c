/*
 * literal_error.c
 *     The messages of rejected phrbac literals, one place for all three types
 *     so that they read alike.
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"

#include "literal_error.h"

static const char *
kind_name(PhrbacLiteralKind kind)
{
	switch (kind)
	{
		case PHRBAC_LITERAL_ROLE:
			return "role";
		case PHRBAC_LITERAL_SCOPE:
			return "scope";
		case PHRBAC_LITERAL_GRANT:
			return "grant";
	}
	return "value";				/* unreachable */
}

/* The sentence that says what a well-formed value of kind looks like. */
static const char *
kind_form(PhrbacLiteralKind kind)
{
	switch (kind)
	{
		case PHRBAC_LITERAL_ROLE:
			return "A role is none, viewer, member, admin or owner, or PostHog's level 0, 1, 8 or 15.";
		case PHRBAC_LITERAL_SCOPE:
			return "A scope is \"object:read\", \"object:write\" or \"*\".";
		case PHRBAC_LITERAL_GRANT:
			return "A grant is \"resource[/object_id]:access\", where access is a level (none, viewer, editor, manager) or actions (view, create, edit, delete, manage) joined by \"+\".";
	}
	return "";					/* unreachable */
}

char *
phrbac_excerpt(const char *s, size_t len)
{
	StringInfoData buf;
	int			keep = (int) len;
	size_t		i;

	if (len > PHRBAC_EXCERPT_MAX)
		keep = pg_mbcliplen(s, (int) len, PHRBAC_EXCERPT_MAX);
	initStringInfo(&buf);
	for (i = 0; i < (size_t) keep; i++)
	{
		unsigned char c = (unsigned char) s[i];

		/* Control bytes are spelt out: no raw newline reaches a log line. */
		if (c < 0x20 || c == 0x7f)
			appendStringInfo(&buf, "\\x%02x", c);
		else
			appendStringInfoChar(&buf, (char) c);
	}
	if ((size_t) keep < len)
		appendStringInfoString(&buf, "...");
	return buf.data;
}

/* The detail sentence for a failure; token is the offending part of input. */
static char *
failure_detail(PhrbacLiteralKind kind, const char *input,
			   const PhrbacParseError *err)
{
	const char *token = phrbac_excerpt(input + err->offset, err->length);
	int			position = (int) err->offset + 1;

	switch (err->status)
	{
		case PHRBAC_OK:
			break;
		case PHRBAC_EMPTY:
			return psprintf("A %s cannot be empty. %s", kind_name(kind),
							kind_form(kind));
		case PHRBAC_TOO_LONG:
			return psprintf("A %s is at most %d bytes long.", kind_name(kind),
							PHRBAC_LITERAL_MAX);
		case PHRBAC_BAD_CHARACTER:
			return psprintf("Unexpected character at byte %d: a %s holds no whitespace, control characters or non-ASCII bytes.",
							position, kind_name(kind));
		case PHRBAC_MISSING_PART:
			return pstrdup(kind_form(kind));
		case PHRBAC_DOUBLED_SEPARATOR:
			return psprintf("Unexpected \"%s\" at byte %d. %s", token,
							position, kind_form(kind));
		case PHRBAC_UNKNOWN_RESOURCE:
			return psprintf("Unknown resource \"%s\".", token);
		case PHRBAC_UNKNOWN_ACTION:
			return psprintf("Unknown access \"%s\". %s", token, kind_form(kind));
		case PHRBAC_UNKNOWN_LEVEL:
			return psprintf("Unknown role \"%s\". %s", token, kind_form(kind));
		case PHRBAC_SCOPE_ACTION_IN_GRANT:
			return psprintf("\"%s\" is an API key scope action, not access to a resource. %s",
							token, kind_form(kind));
		case PHRBAC_GRANT_ACTION_IN_SCOPE:
			return psprintf("\"%s\" is access to a resource, not an API key scope action. %s",
							token, kind_form(kind));
		case PHRBAC_LEVEL_COMBINED:
			return psprintf("The level \"%s\" cannot be combined with other actions.",
							token);
		case PHRBAC_REPEATED_ACTION:
			return psprintf("The action \"%s\" is repeated.", token);
		case PHRBAC_BAD_OBJECT_ID:
			return psprintf("The object id \"%s\" must be 1 to %d characters from letters, digits, \".\", \"_\", \"~\" and \"-\".",
							token, PHRBAC_OBJECT_ID_MAX);
		case PHRBAC_OBJECT_ON_WILDCARD:
			return pstrdup("\"*\" names every resource, so it takes no object id.");
		case PHRBAC_OBJECT_IN_SCOPE:
			return pstrdup("An API key scope names a whole resource, not one object.");
		case PHRBAC_ACTION_ON_WILDCARD:
			return pstrdup("The scope \"*\" allows everything and takes no action.");
		case PHRBAC_OUT_OF_RANGE:
			return psprintf("%s is not a value a %s can hold.", token,
							kind_name(kind));
	}
	elog(ERROR, "unexpected phrbac parse status %d", (int) err->status);
	return NULL;				/* keep compiler quiet */
}

void
phrbac_report_invalid_literal(PhrbacLiteralKind kind, const char *input,
							  const PhrbacParseError *err)
{
	const char *suggestion = err->suggestion;

	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid %s: \"%s\"", kind_name(kind),
					phrbac_excerpt(input, strlen(input))),
			 errdetail_internal("%s", failure_detail(kind, input, err)),
			 suggestion[0] != '\0' ?
			 errhint("Did you mean \"%s\"?", suggestion) : 0));
	pg_unreachable();
}

void
phrbac_report_invalid_binary(PhrbacLiteralKind kind, PhrbacStatus status,
							 const char *token)
{
	PhrbacParseError err = {.status = status, .length = strlen(token)};

	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid binary %s", kind_name(kind)),
			 errdetail_internal("%s", failure_detail(kind, token, &err))));
	pg_unreachable();
}

void
phrbac_check_binary_version(PhrbacLiteralKind kind, int version)
{
	if (version != PHRBAC_BINARY_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary %s", kind_name(kind)),
				 errdetail("Unsupported binary format version %d; this phrbac reads version %d.",
						   version, PHRBAC_BINARY_VERSION)));
}
