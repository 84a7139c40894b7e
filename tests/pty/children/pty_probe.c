/* Reports on stdout what a child of --pty sees, then echoes every byte of a test pattern.
 * Lines: "isatty 0 1 2: A B C", "session leader: yes|no", "controlling terminal: yes|no",
 * "window: ROWSxCOLS", then "pattern:" followed by the bytes 0..255 and a newline. */
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(void) {
    struct winsize size = {0};
    int have_size = ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0;
    printf("isatty 0 1 2: %d %d %d\n", isatty(0), isatty(1), isatty(2));
    printf("session leader: %s\n", getsid(0) == getpid() ? "yes" : "no");
    /* tcgetpgrp succeeds only on the caller's controlling terminal. */
    printf("controlling terminal: %s\n", tcgetpgrp(STDOUT_FILENO) == getpgrp() ? "yes" : "no");
    printf("window: %dx%d\n", have_size ? size.ws_row : 0, have_size ? size.ws_col : 0);
    printf("pattern:");
    for (int c = 0; c < 256; ++c)
        putchar(c);
    putchar('\n');
    return 0;
}
