/* SPDX-License-Identifier: Apache-2.0 */
/* A very small TAP producer for husk's unit tests.
 *
 *   #include "tap.h"
 *   int main (void) {
 *     ok (1 + 1 == 2, "addition");
 *     is_str (s, "x", "s is x");
 *     return tap_done ();
 *   }
 */
#ifndef HUSK_TAP_H
#define HUSK_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static inline int
tap_ok_ (int cond, const char *file, int line, const char *desc)
{
  ++tap_n;
  printf ("%sok %d - %s\n", cond ? "" : "not ", tap_n, desc);
  if (!cond)
    {
      ++tap_failed;
      printf ("#   failed at %s:%d\n", file, line);
    }
  fflush (stdout);
  return cond;
}

#define ok(cond, desc) tap_ok_ (!!(cond), __FILE__, __LINE__, (desc))

#define is_int(got, want, desc) \
  do \
    { \
      long long g_ = (long long) (got), w_ = (long long) (want); \
      if (!tap_ok_ (g_ == w_, __FILE__, __LINE__, (desc))) \
        printf ("#   got %lld, want %lld\n", g_, w_); \
    } \
  while (0)

#define is_str(got, want, desc) \
  do \
    { \
      const char *g_ = (got), *w_ = (want); \
      int c_ = (g_ == NULL && w_ == NULL) || (g_ && w_ && strcmp (g_, w_) == 0); \
      if (!tap_ok_ (c_, __FILE__, __LINE__, (desc))) \
        printf ("#   got \"%s\", want \"%s\"\n", g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
    } \
  while (0)

/* got contains the substring want */
#define like(got, want, desc) \
  do \
    { \
      const char *g_ = (got), *w_ = (want); \
      int c_ = g_ && w_ && strstr (g_, w_) != NULL; \
      if (!tap_ok_ (c_, __FILE__, __LINE__, (desc))) \
        printf ("#   got \"%s\", want it to contain \"%s\"\n", g_ ? g_ : "(null)", \
                w_ ? w_ : "(null)"); \
    } \
  while (0)

static inline int
tap_done (void)
{
  printf ("1..%d\n", tap_n);
  return tap_failed ? 1 : 0;
}

#endif
