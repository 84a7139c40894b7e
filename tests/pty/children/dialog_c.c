/* A dialog in C stdio that never flushes: asks with printf, reads the answer with fgets. On a
 * socket stdout is block-buffered, so the first question stays in the buffer and both sides
 * wait for ever, unless the program runs under --line-buffered or --pty. */
#include <stdio.h>
#include <string.h>

int main(void) {
    char line[4096];
    for (int i = 0; i < 3; ++i) {
        printf("question %d\n", i);
        if (fgets(line, sizeof line, stdin) == NULL) return 1;
        line[strcspn(line, "\n")] = '\0';
        printf("child got [%s]\n", line);
    }
    return 0;
}
