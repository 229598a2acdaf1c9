/*
 * loadgen: the benchmark's load generator, in C on epoll so that the client side costs little and is
 * the same for every server under test (Node's net would measure itself as much as the server).
 *
 *   loadgen --port P [--host 127.0.0.1] [--mode pingpong|stream] [--connections N] [--size S]
 *           [--seconds D] [--warmup W] [--messages M]
 *
 * pingpong: N connections, each sends S bytes and waits until all S come back, over and over.
 * stream:   N connections, each writes S-byte chunks (64 KiB by default) with at most 8 chunks in flight,
 *           reading the echo as it comes.
 * Counts only during the D seconds that follow W seconds of warm-up. --messages M ends the run as soon
 * as M messages/chunks in all have come back (or D + W seconds have passed): the instruction counts
 * compare runs that differ by an exact number of messages, however fast the server runs. Prints one JSON object on stdout:
 * {"mode","connections","alive","size","seconds","roundTrips","bytes","p50_us","p99_us","errors",
 *  "leastServed","mostServed","allRoundTrips","firstServed"}
 * where a round trip is one message (pingpong) or one chunk (stream) echoed in full, latency is from
 * the moment its last byte was handed to the kernel to the moment its last echoed byte was read,
 * "alive" is how many connections were still open at the end (a server that refuses or drops some
 * shows it there), "leastServed"/"mostServed" are the fewest and most round trips one connection got
 * in the measured seconds (over the connections still open: fairness), and "allRoundTrips" counts
 * the warm-up's too (what the server echoed from the first connect to the end: the instruction
 * counts divide by it), and "firstServed" the seconds from the start until every connection had its
 * first message echoed (-1: never). The measured seconds begin after the warm-up and not before that
 * (waiting at most 10 s more): fairness and latency are a steady state's, not the accept backlog's.
 * Exit status 0 when at least one connection worked, 1 otherwise, 2 on bad usage.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define WINDOW 8 /* stream: chunks in flight per connection */
#define MAX_FIRST_WAIT 10.0 /* seconds the measurement waits past the warm-up for every first echo */

typedef struct {
  int fd;
  int open;
  uint64_t sent;      /* bytes handed to the kernel */
  uint64_t received;  /* echoed bytes read */
  uint64_t limit;     /* pingpong: send up to here (the current message's end) */
  double stamp[WINDOW]; /* send time of each message/chunk in flight, by index mod WINDOW */
  uint64_t done;      /* messages/chunks fully echoed */
  uint64_t issued;    /* messages/chunks fully sent */
  uint64_t counted;   /* messages/chunks fully echoed during the measured seconds */
} conn_t;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what) {
  fprintf(stderr, "loadgen: %s: %s\n", what, strerror(errno));
  exit(1);
}

static void usage(void) {
  fprintf(stderr, "usage: loadgen --port P [--host H] [--mode pingpong|stream] [--connections N] [--size S] "
                  "[--seconds D] [--warmup W] [--messages M]\n");
  exit(2);
}

/* Latency samples in microseconds: grown by doubling; bounded by the run (one per round trip). */
static double *samples;
static size_t nsamples, capsamples;

static void sample(double us) {
  if (nsamples == capsamples) {
    size_t cap = capsamples ? capsamples * 2 : 65536;
    double *p = realloc(samples, cap * sizeof *p);
    if (!p) return; /* out of memory: keep counting round trips, stop sampling */
    samples = p;
    capsamples = cap;
  }
  samples[nsamples++] = us;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double percentile(double p) {
  if (nsamples == 0) return 0;
  size_t i = (size_t)(p * (double)(nsamples - 1) + 0.5);
  return samples[i];
}

int main(int argc, char **argv) {
  const char *host = "127.0.0.1", *mode = "pingpong";
  int port = 0, nconn = 1;
  long size = 64;
  double seconds = 2, warmup = 0.5;
  long long maxmsgs = 0; /* 0: no limit */
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!v) usage();
    if (!strcmp(a, "--port")) port = atoi(v);
    else if (!strcmp(a, "--host")) host = v;
    else if (!strcmp(a, "--mode")) mode = v;
    else if (!strcmp(a, "--connections")) nconn = atoi(v);
    else if (!strcmp(a, "--size")) size = atol(v);
    else if (!strcmp(a, "--seconds")) seconds = atof(v);
    else if (!strcmp(a, "--warmup")) warmup = atof(v);
    else if (!strcmp(a, "--messages")) maxmsgs = atoll(v);
    else usage();
    i++;
  }
  int stream = !strcmp(mode, "stream");
  if ((!stream && strcmp(mode, "pingpong")) || port <= 0 || port > 65535 || nconn < 1 || nconn > 100000 ||
      size < 1 || size > (16 << 20) || seconds <= 0 || warmup < 0 || maxmsgs < 0)
    usage();

  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons((uint16_t)port);
  if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) usage();

  char *out = malloc((size_t)size), *in = malloc(stream ? (size_t)size : 65536);
  conn_t *c = calloc((size_t)nconn, sizeof *c);
  if (!out || !in || !c) die("malloc");
  memset(out, 'a', (size_t)size);
  size_t inlen = stream ? (size_t)size : 65536;

  int ep = epoll_create1(EPOLL_CLOEXEC);
  if (ep < 0) die("epoll_create1");

  /* Connect every connection (blocking connects: simple, and the listen backlog absorbs them). */
  for (int i = 0; i < nconn; i++) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) die("socket");
    int one = 1;
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) < 0) die("setsockopt(TCP_NODELAY)");
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) die("connect");
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) die("fcntl(O_NONBLOCK)");
    c[i].fd = fd;
    c[i].open = 1;
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLET, .data.u32 = (uint32_t)i};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) die("epoll_ctl");
  }

  /* The measured seconds start after the warm-up, and not before every connection has had its first
   * message echoed (at most MAX_FIRST_WAIT seconds later): a server still accepting the backlog would
   * otherwise show connections it has not accepted yet as unserved. "firstServed" reports when that
   * happened (seconds from the start: how fast the server took on every connection). */
  double start = now(), measure_from = 1e300, end = 1e300, first_served = -1;
  int served = 0; /* connections with their first message echoed */
  uint64_t trips = 0, bytes = 0, errors = 0, all = 0;
  int alive = nconn;
  /* Nothing has been sent yet: each connection's first message/window goes out on its first EPOLLOUT
   * (edge-triggered, reported once at registration since the socket is writable). */
  for (int i = 0; i < nconn; i++) c[i].limit = stream ? (uint64_t)size * WINDOW : (uint64_t)size;

  struct epoll_event evs[256];
  for (;;) {
    double t = now();
    if (t >= end || alive == 0 || (maxmsgs && all >= (uint64_t)maxmsgs)) break;
    if (end == 1e300 && t >= start + warmup && (served >= alive || t >= start + warmup + MAX_FIRST_WAIT)) {
      measure_from = t;
      end = t + seconds;
    }
    double until = end == 1e300 ? (t < start + warmup ? start + warmup : t + 0.01) : end;
    int ms = (int)((until - t) * 1000) + 1;
    int n = epoll_wait(ep, evs, 256, ms);
    if (n < 0) {
      if (errno == EINTR) continue;
      die("epoll_wait");
    }
    for (int k = 0; k < n; k++) {
      conn_t *x = &c[evs[k].data.u32];
      if (!x->open) continue;
      int failed = 0;
      /* Read everything there is (edge-triggered). */
      for (;;) {
        ssize_t r = read(x->fd, in, inlen);
        if (r > 0) {
          x->received += (uint64_t)r;
          double tr = now();
          if (tr >= measure_from && tr < end) bytes += (uint64_t)r;
          /* Every message/chunk whose last byte has now come back. */
          while (x->done < x->issued && x->received >= (x->done + 1) * (uint64_t)size) {
            if (tr >= measure_from && tr < end) {
              trips++;
              x->counted++;
              sample((tr - x->stamp[x->done % WINDOW]) * 1e6);
            }
            if (x->done++ == 0 && ++served == nconn) first_served = tr - start;
            all++;
          }
          if (!stream && x->done == x->issued) x->limit = x->sent + (uint64_t)size; /* next message */
          if (stream) x->limit = (x->done + WINDOW) * (uint64_t)size;
          /* An echo server sends only what it was sent: once every byte sent has come back, the socket
           * is empty and the read that would say EAGAIN is a wasted syscall (a third of the client's
           * per-message syscalls in pingpong). Edge-triggered epoll still reports the next arrival. */
          if (x->received == x->sent) break;
          continue;
        }
        if (r == 0) { failed = 1; break; }
        if (errno == EAGAIN || errno == EWOULDBLOCK) break;
        if (errno == EINTR) continue;
        failed = 1;
        break;
      }
      /* Write up to the limit (pingpong: the current message; stream: the window). */
      while (!failed && x->sent < x->limit) {
        uint64_t off = x->sent % (uint64_t)size;
        size_t len = (size_t)((uint64_t)size - off);
        if (x->limit - x->sent < len) len = (size_t)(x->limit - x->sent);
        ssize_t w = write(x->fd, out + off, len);
        if (w > 0) {
          x->sent += (uint64_t)w;
          if (x->sent % (uint64_t)size == 0) x->stamp[x->issued++ % WINDOW] = now();
          continue;
        }
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        if (w < 0 && errno == EINTR) continue;
        failed = 1;
      }
      if (failed) {
        errors++;
        x->open = 0;
        alive--;
        close(x->fd);
      }
    }
  }
  double elapsed = measure_from == 1e300 ? 0 : now() - measure_from;
  if (elapsed > seconds) elapsed = seconds;
  uint64_t least = UINT64_MAX, most = 0;
  for (int i = 0; i < nconn; i++) {
    if (!c[i].open) continue;
    if (c[i].counted < least) least = c[i].counted;
    if (c[i].counted > most) most = c[i].counted;
    close(c[i].fd);
  }
  if (least == UINT64_MAX) least = 0;
  qsort(samples, nsamples, sizeof *samples, cmp);
  printf("{\"mode\":\"%s\",\"connections\":%d,\"alive\":%d,\"size\":%ld,\"seconds\":%.6f,\"roundTrips\":%llu,"
         "\"bytes\":%llu,\"p50_us\":%.1f,\"p99_us\":%.1f,\"errors\":%llu,\"leastServed\":%llu,\"mostServed\":%llu,"
         "\"allRoundTrips\":%llu,\"firstServed\":%.3f}\n",
         mode, nconn, alive, size, elapsed > 0 ? elapsed : 0, (unsigned long long)trips, (unsigned long long)bytes,
         percentile(0.50), percentile(0.99), (unsigned long long)errors, (unsigned long long)least,
         (unsigned long long)most, (unsigned long long)all, first_served);
  free(samples);
  free(c);
  free(in);
  free(out);
  close(ep);
  return alive > 0 || trips > 0 ? 0 : 1;
}
