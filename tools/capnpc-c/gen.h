/*
 * capnpc-c: shared state of the C code generator.
 */
#ifndef CAPNPC_C_GEN_H
#define CAPNPC_C_GEN_H

#include <stdio.h>

#include "schema.h"

/* One schema node of the request, with the C name chosen for it. */
struct node {
	uint64_t id;
	struct capnp_struct n;
	char *cname;              /* NULL for nodes no code refers to */
	uint64_t file;            /* id of the file node that declares it */
	struct capnp_struct info; /* Node.SourceInfo (doc comments), or null */
	bool used;                /* referenced by the file being generated */
	bool server_done;         /* server declarations written */
};

struct gen {
	struct capnp_msg *msg;
	struct node *nodes; /* sorted by id */
	size_t nnodes;
	FILE *out;     /* body of the header being generated */
	FILE *table;   /* entries of the interface name table */
	FILE *client;  /* body of the client stub header */
	FILE *server;  /* body of FILE.capnp.c: descriptors and dispatch */
	uint64_t file; /* the file being generated */
};

void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

struct node *find_node(struct gen *g, uint64_t id);
/* The C name of a node, which must have one; marks its file as used. */
const char *cname(struct gen *g, uint64_t id);
void name_nodes(struct gen *g);

/* Output helpers (out.c). */
void emit_doc(struct gen *g, struct capnp_text doc, const char *indent);
void emit_c_string(FILE *f, const char *s, size_t len);

/* Values and defaults (value.c). */
uint64_t value_bits(struct capnp_struct v, enum type_which t);
/* Flattens a pointer value into words; returns the word count. */
size_t flatten_pointer(struct capnp_ref r, uint64_t **words);
void emit_words(struct gen *g, const char *name, const uint64_t *w, size_t n,
                const char *indent);
void emit_literal(struct gen *g, enum type_which t, uint64_t bits);
const char *c_scalar_type(enum type_which t);
int type_bits(enum type_which t);
enum capnp_esize list_esize(struct capnp_struct elem);
const char *esize_name(enum capnp_esize es);

/* Emitters. */
void emit_enum(struct gen *g, struct node *nd);
void emit_interface(struct gen *g, struct node *nd);
void emit_struct_types(struct gen *g, struct node *nd);
void emit_struct_accessors(struct gen *g, struct node *nd);
void emit_const(struct gen *g, struct node *nd);
void emit_interface_entry(struct gen *g, struct node *nd, FILE *f);
void emit_client_stubs(struct gen *g, struct node *nd, FILE *f);
/* "capos.capnp:Console" -> "Console" */
const char *schema_name(struct node *nd);
void emit_server_decls(struct gen *g, struct node *nd);
void emit_server_defs(struct gen *g, struct node *nd, FILE *f);
void write_server_source(const char *src, const char *body, size_t len);

#endif
