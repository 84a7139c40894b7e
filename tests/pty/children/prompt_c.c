/* Asks with a prompt that has no newline, then reads the answer: line buffering alone never
 * sends such a prompt; it leaves only when reading stdin flushes stdout first. */
#include <stdio.h>
#include <string.h>

int main(void) {
    char line[256];
    printf("name? ");
    if (fgets(line, sizeof line, stdin) == NULL) return 1;
    line[strcspn(line, "\n")] = '\0';
    printf("hello %s\n", line);
    return 0;
}
