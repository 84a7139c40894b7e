/* Loaded into an unmodified program with LD_PRELOAD (sockwrap --line-buffered): before main()
 * runs, sets the buffering of the C library's standard streams as the environment asks.
 *
 *   SOCKWRAP_STDOUT_BUFFERING, SOCKWRAP_STDERR_BUFFERING:
 *       "line"  flush at every newline (what stdio does on a terminal)
 *       "none"  unbuffered: every write goes out at once
 *   SOCKWRAP_STDIN_BUFFERING:
 *       "line"  mark stdin line-buffered. Reading keeps its normal block size, but glibc
 *               flushes a line-buffered stdout before it waits for input on a line-buffered
 *               (or unbuffered) stdin, so a prompt without a newline reaches the peer before
 *               the program waits for the answer.
 *       "none"  unbuffered: one byte per read(), never reads ahead of what it consumes
 *
 * Any other value, or no variable, leaves that stream as the C library set it up. The library
 * never prints and never fails: it must not change a program in any way it was not asked to.
 * Like coreutils' stdbuf, it cannot help a static binary, a set-user-ID program (the dynamic
 * loader ignores LD_PRELOAD there) or a program that sets its own buffering later. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The stdio mode named by `value`, or -1 to leave the stream alone. */
static int buffering_mode(const char* value) {
    if (value == NULL) return -1;
    if (strcmp(value, "line") == 0) return _IOLBF;
    if (strcmp(value, "none") == 0) return _IONBF;
    return -1;
}

/* Applies the mode named by environment variable `name` to `stream`. setvbuf must precede any
 * other operation on the stream; a constructor runs before main(), so nothing has used it. A
 * NULL buffer lets the C library allocate one of its usual size on first use. */
static void apply(FILE* stream, const char* name) {
    int mode = buffering_mode(getenv(name));
    if (mode >= 0) (void)setvbuf(stream, NULL, mode, BUFSIZ);
}

__attribute__((constructor)) static void sockwrap_set_buffering(void) {
    apply(stdin, "SOCKWRAP_STDIN_BUFFERING");
    apply(stdout, "SOCKWRAP_STDOUT_BUFFERING");
    apply(stderr, "SOCKWRAP_STDERR_BUFFERING");
}
