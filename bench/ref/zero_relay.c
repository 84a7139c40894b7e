/*
 * zero_relay: the smallest correct way to put a program on a socket, written to be the
 * physical limit a wrapper is measured against. It connects (or listens and accepts), makes
 * the socket the program's fd 0 and/or 1 with dup2, and execs it: no byte is ever copied by
 * this process. With -k it forks one child per accepted connection, as an inetd-style
 * server does, and reaps the children from a SIGCHLD handler. With -s and no -k it starts the
 * program with posix_spawn and waits for it instead of exec'ing in place: the least a
 * supervising wrapper (one that outlives the program to report its status) can cost.
 *
 *   zero_relay [-i|-o] [-k] [-s] (-c|-l) HOST PORT [-p PORTFILE] PROGRAM [ARG...]
 *
 *   -c / -l   connect to, or listen on (SO_REUSEADDR), HOST:PORT (IPv4); PORT 0 allowed
 *   -i / -o   bind only stdin (-i) or only stdout (-o); default both
 *   -k        keep listening: a fresh PROGRAM per connection (fork, then exec in the child)
 *   -s        with -k, start each child with posix_spawn instead of fork (vfork-style);
 *             without -k, posix_spawn the program, wait, and exit with its status
 *   -p FILE   after listening, write the bound port and a newline to FILE
 *
 * Exit status: PROGRAM's own (it replaces this process, or is waited for: 128+N for death by
 * signal N), or 125 when the socket fails.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

struct config {
    int listen, keep, spawn, bind_in, bind_out;
    const char *host, *port, *port_file;
    char** argv;
};

static void die(const char* what) {
    fprintf(stderr, "zero_relay: %s: %s\n", what, strerror(errno));
    exit(125);
}

static struct sockaddr_in address_of(const struct config* c) {
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)atoi(c->port));
    if (inet_pton(AF_INET, c->host, &a.sin_addr) != 1) {
        errno = EINVAL;
        die(c->host);
    }
    return a;
}

static int open_listener(const struct config* c) {
    struct sockaddr_in a = address_of(c);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
    if (fd < 0) die("socket");
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr*)&a, sizeof a) != 0) die("bind");
    if (listen(fd, 1024) != 0) die("listen");
    if (c->port_file) {
        socklen_t len = sizeof a;
        getsockname(fd, (struct sockaddr*)&a, &len);
        char aside[4096];
        snprintf(aside, sizeof aside, "%s.tmp", c->port_file);
        FILE* f = fopen(aside, "w");
        if (!f || fprintf(f, "%u\n", ntohs(a.sin_port)) < 0 || fclose(f) != 0) die(aside);
        if (rename(aside, c->port_file) != 0) die(c->port_file);
    }
    return fd;
}

static int open_connection(const struct config* c) {
    struct sockaddr_in a = address_of(c);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) die("socket");
    if (connect(fd, (struct sockaddr*)&a, sizeof a) != 0) die("connect");
    return fd;
}

/* Makes `fd` the chosen standard stream(s) and runs the program; never returns. */
static void exec_on(int fd, const struct config* c) {
    if ((c->bind_in && dup2(fd, 0) < 0) || (c->bind_out && dup2(fd, 1) < 0)) die("dup2");
    execvp(c->argv[0], c->argv);
    fprintf(stderr, "zero_relay: %s: %s\n", c->argv[0], strerror(errno));
    _exit(errno == ENOENT ? 127 : 126);
}

static void reap(int signo) {
    int saved = errno;
    (void)signo;
    while (waitpid(-1, NULL, WNOHANG) > 0)
        continue;
    errno = saved;
}

/* Starts one child on `fd` without copying the parent's address space; its pid, or -1. */
static pid_t spawn_on(int fd, const struct config* c) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (c->bind_in) posix_spawn_file_actions_adddup2(&actions, fd, 0);
    if (c->bind_out) posix_spawn_file_actions_adddup2(&actions, fd, 1);
    pid_t pid;
    if (posix_spawnp(&pid, c->argv[0], &actions, NULL, c->argv, environ) != 0) {
        fprintf(stderr, "zero_relay: cannot start %s\n", c->argv[0]);
        pid = -1;
    }
    posix_spawn_file_actions_destroy(&actions);
    return pid;
}

/* -s without -k: runs the program on `fd` as a child and exits with its status. */
static void spawn_and_wait(int fd, const struct config* c) {
    pid_t pid = spawn_on(fd, c);
    if (pid < 0) exit(127);
    close(fd);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) die("waitpid");
    exit(WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status));
}

static void serve_forever(int server, const struct config* c) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = reap;
    sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    sigaction(SIGCHLD, &sa, NULL);
    for (;;) {
        int fd = accept4(server, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            die("accept");
        }
        if (c->spawn) {
            spawn_on(fd, c);
        } else {
            pid_t pid = fork();
            if (pid == 0) exec_on(fd, c);
            if (pid < 0) perror("zero_relay: fork");
        }
        close(fd);
    }
}

static void usage(void) {
    fputs("usage: zero_relay [-i|-o] [-k] [-s] (-c|-l) HOST PORT [-p FILE] PROGRAM [ARG...]\n",
          stderr);
    exit(125);
}

int main(int argc, char** argv) {
    struct config c = {0, 0, 0, 1, 1, NULL, NULL, NULL, NULL};
    int opt, mode = 0;
    while ((opt = getopt(argc, argv, "+iokscl")) != -1) {
        switch (opt) {
            case 'i':
                c.bind_out = 0;
                break;
            case 'o':
                c.bind_in = 0;
                break;
            case 'k':
                c.keep = 1;
                break;
            case 's':
                c.spawn = 1;
                break;
            case 'c':
            case 'l':
                mode = opt;
                break;
            default:
                usage();
        }
    }
    if (!mode || argc - optind < 3) usage();
    c.listen = mode == 'l';
    c.host = argv[optind++];
    c.port = argv[optind++];
    if (strcmp(argv[optind], "-p") == 0) {
        if (argc - optind < 3) usage();
        c.port_file = argv[optind + 1];
        optind += 2;
    }
    c.argv = argv + optind;
    if (!c.listen && c.spawn) spawn_and_wait(open_connection(&c), &c);
    if (!c.listen) exec_on(open_connection(&c), &c);
    int server = open_listener(&c);
    if (c.keep) serve_forever(server, &c);
    int fd = accept4(server, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0) die("accept");
    close(server);
    exec_on(fd, &c);
    return 125;
}
