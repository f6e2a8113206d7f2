/*
 * A real Kafka-protocol broker for tests where no Kafka can be installed: librdkafka's
 * mock cluster (Debian's librdkafka-dev), started on loopback. It prints its bootstrap
 * address on the first stdout line, then reads commands on stdin, one per line:
 *   topic <name> <partitions>   create a topic (kafkajs admin createTopics fails on the mock)
 *   down <broker-id> / up <broker-id>   take a broker down or up, for fault tests
 * It exits when stdin closes or on SIGTERM.
 */
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile sig_atomic_t stop = 0;
static void on_signal(int sig) { (void)sig; stop = 1; }

int main(int argc, char **argv) {
    int brokers = argc > 1 ? atoi(argv[1]) : 1;
    char errstr[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    /* The mock needs a client instance to own it; this one never produces. */
    if (rd_kafka_conf_set(conf, "bootstrap.servers", "", errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
        fprintf(stderr, "conf: %s\n", errstr);
        return 1;
    }
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    if (!rk) { fprintf(stderr, "rd_kafka_new: %s\n", errstr); return 1; }
    rd_kafka_mock_cluster_t *mc = rd_kafka_mock_cluster_new(rk, brokers < 1 ? 1 : brokers);
    if (!mc) { fprintf(stderr, "mock cluster failed to start\n"); return 1; }
    printf("%s\n", rd_kafka_mock_cluster_bootstraps(mc));
    fflush(stdout);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);

    char line[1024];
    while (!stop && fgets(line, sizeof line, stdin)) {
        char name[512];
        int n = 0;
        if (sscanf(line, "topic %511s %d", name, &n) == 2) {
            rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(mc, name, n, 1);
            printf(err ? "error %s\n" : "ok %s\n", err ? rd_kafka_err2str(err) : name);
        } else if (sscanf(line, "down %d", &n) == 1) {
            rd_kafka_mock_broker_set_down(mc, n);
            printf("ok down %d\n", n);
        } else if (sscanf(line, "up %d", &n) == 1) {
            rd_kafka_mock_broker_set_up(mc, n);
            printf("ok up %d\n", n);
        } else {
            printf("error unknown command\n");
        }
        fflush(stdout);
    }
    rd_kafka_mock_cluster_destroy(mc);
    rd_kafka_destroy(rk);
    return 0;
}
