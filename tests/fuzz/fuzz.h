/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the libFuzzer targets of tests/fuzz (one file each). */
#ifndef HUSK_FUZZ_H
#define HUSK_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

void __sanitizer_report_error_summary (const char *error_summary);

/* A property of the code under test that an input broke: report it where
 * the sanitizers report (run.sh closes stdout and stderr of the targets)
 * and abort (libFuzzer saves the input and stops). */
#define FUZZ_ASSERT(cond) \
  do \
    { \
      if (!(cond)) \
        { \
          char msg_[512]; \
          snprintf (msg_, sizeof msg_, "property broken: %s at %s:%d", #cond, __FILE__, __LINE__); \
          __sanitizer_report_error_summary (msg_); \
          abort (); \
        } \
    } \
  while (0)

/* The input as a NUL-terminated string, as husk's file readers hand it to
 * the parsers (the input may hold NUL bytes of its own). */
static inline char *
fuzz_cstr (const uint8_t *data, size_t size)
{
  char *s = malloc (size + 1);
  if (s == NULL)
    abort ();
  if (size)
    memcpy (s, data, size);
  s[size] = '\0';
  return s;
}

/* Split the input at NUL bytes into at most max strings (the last one may
 * be empty), pointing into one copy (*buf, to free); returns how many. */
static inline size_t
fuzz_split (const uint8_t *data, size_t size, char **out, size_t max, char **buf)
{
  char *s = fuzz_cstr (data, size);
  size_t n = 0;
  for (size_t i = 0; n < max && i <= size; i += strlen (s + i) + 1)
    out[n++] = s + i;
  *buf = s;
  return n;
}

#endif
