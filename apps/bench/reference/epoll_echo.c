/* A reference echo server in C: one thread, epoll, non-blocking sockets, nothing between the program
 * and the kernel. The bench runs it beside the models as "c-epoll" to show what the kernel path alone
 * costs on the machine: the ceiling for every ratio to net under the same loads.
 *
 * usage: epoll_echo --port N      (0: any free port)
 * Prints "listening on 127.0.0.1:PORT" once bound, serves until SIGINT or SIGTERM, exits 0.
 *
 * Invariant: every byte read is sent back in order. A send the kernel takes in part keeps the rest
 * for the connection and stops reading it (EPOLLOUT instead of EPOLLIN) until the rest is out. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

struct conn {
  char *rest; /* bytes read but not yet sent back */
  size_t off, len;
};

static volatile sig_atomic_t stopping = 0;
static void on_signal(int sig) { (void)sig; stopping = 1; }

static struct conn *conns = NULL;
static size_t nconns = 0;

static struct conn *conn_of(int fd) {
  if ((size_t)fd >= nconns) {
    size_t n = (size_t)fd * 2 + 64;
    struct conn *grown = realloc(conns, n * sizeof *grown);
    if (!grown) { perror("realloc"); exit(1); }
    memset(grown + nconns, 0, (n - nconns) * sizeof *grown);
    conns = grown;
    nconns = n;
  }
  return &conns[fd];
}

static void drop(int ep, int fd) {
  struct conn *c = conn_of(fd);
  epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
  close(fd);
  free(c->rest);
  memset(c, 0, sizeof *c);
}

static int watch(int ep, int op, int fd, unsigned events) {
  struct epoll_event ev = {.events = events, .data.fd = fd};
  return epoll_ctl(ep, op, fd, &ev);
}

/* Echoes what was just read (no earlier rest is waiting: reading stops while one is). Keeps what the
 * kernel does not take and waits for room. Returns -1 when the connection is gone. */
static int echo(int ep, int fd, const char *buf, size_t len) {
  size_t sent = 0;
  while (sent < len) {
    ssize_t n = send(fd, buf + sent, len - sent, MSG_NOSIGNAL);
    if (n > 0) { sent += (size_t)n; continue; }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) break;
    return -1;
  }
  if (sent == len) return 0;
  struct conn *c = conn_of(fd);
  c->rest = malloc(len - sent);
  if (!c->rest) return -1;
  memcpy(c->rest, buf + sent, len - sent);
  c->off = 0;
  c->len = len - sent;
  return watch(ep, EPOLL_CTL_MOD, fd, EPOLLOUT);
}

/* Writable with a rest waiting: sends more of it; once it is all out, reads again. */
static int send_rest(int ep, int fd, struct conn *c) {
  ssize_t n = send(fd, c->rest + c->off, c->len - c->off, MSG_NOSIGNAL);
  if (n < 0) return errno == EAGAIN || errno == EINTR ? 0 : -1;
  c->off += (size_t)n;
  if (c->off < c->len) return 0;
  free(c->rest);
  c->rest = NULL;
  c->off = c->len = 0;
  return watch(ep, EPOLL_CTL_MOD, fd, EPOLLIN);
}

int main(int argc, char **argv) {
  int port = -1;
  for (int i = 1; i + 1 < argc; i += 2)
    if (strcmp(argv[i], "--port") == 0) port = atoi(argv[i + 1]);
  if (port < 0 || port > 65535) {
    fprintf(stderr, "usage: epoll_echo --port N\n");
    return 2;
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal; /* no SA_RESTART: epoll_wait returns EINTR */
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);

  int ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (ls < 0) { perror("socket"); return 1; }
  int one = 1;
  setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons((unsigned short)port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(ls, (struct sockaddr *)&addr, sizeof addr) < 0) { perror("bind"); return 1; }
  if (listen(ls, SOMAXCONN) < 0) { perror("listen"); return 1; }
  socklen_t alen = sizeof addr;
  if (getsockname(ls, (struct sockaddr *)&addr, &alen) < 0) { perror("getsockname"); return 1; }
  int ep = epoll_create1(EPOLL_CLOEXEC);
  if (ep < 0) { perror("epoll_create1"); return 1; }
  if (watch(ep, EPOLL_CTL_ADD, ls, EPOLLIN) < 0) { perror("epoll_ctl"); return 1; }
  printf("listening on 127.0.0.1:%d\n", ntohs(addr.sin_port));
  fflush(stdout);

  static char buf[64 * 1024];
  struct epoll_event events[1024];
  while (!stopping) {
    int n = epoll_wait(ep, events, 1024, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      perror("epoll_wait");
      return 1;
    }
    for (int i = 0; i < n; i++) {
      int fd = events[i].data.fd;
      if (fd == ls) {
        for (;;) {
          int c = accept4(ls, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
          if (c < 0) break; /* EAGAIN, or a connection that went away: the next wake retries */
          conn_of(c);
          if (watch(ep, EPOLL_CTL_ADD, c, EPOLLIN) < 0) close(c);
        }
        continue;
      }
      struct conn *c = conn_of(fd);
      if (c->rest) {
        if (send_rest(ep, fd, c) < 0) drop(ep, fd);
        continue;
      }
      ssize_t got = recv(fd, buf, sizeof buf, 0);
      if (got > 0) {
        if (echo(ep, fd, buf, (size_t)got) < 0) drop(ep, fd);
      } else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
        drop(ep, fd);
      }
    }
  }
  return 0;
}
