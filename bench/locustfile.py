"""Locust scenario for the web load benchmark: people reading pages, 1–3 s between requests.

Each person arrives at a random moment of the first 3 s (one think time), as people do, rather than all 20
in the same millisecond: that synchronised first request of every user (20 requests at once on 3
workers) was, by itself, the slowest 2–5 % of some pages in a 60 s run, a different page in each run.
"""

import os
import random

import gevent
from locust import HttpUser, between, task

SITE_IDS = [int(x) for x in os.environ.get("BENCH_SITE_IDS", "1").split(",")]
ORG_IDS = [int(x) for x in os.environ.get("BENCH_ORG_IDS", "1").split(",")]
REGIONS = ["40", "77", "16", "59", "50", "66", "RU-KLU", "RU-TA"]
QUERIES = ["кластер", "калужская", "технопарк Татарстан", "промышленный парк", "Казань", "машиностроение"]


class Reader(HttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        gevent.sleep(random.uniform(0, 3))

    @task(3)
    def dashboard(self):
        self.client.get("/", name="dashboard")

    @task(2)
    def map_page(self):
        self.client.get("/map/", name="map")
        self.client.get("/map/data/", name="map data")

    @task(4)
    def registry_list(self):
        kind = random.choice(["clusters", "parks", "technoparks", "sez"])
        self.client.get(f"/registry/{kind}/?region={random.choice(REGIONS)}", name="registry list (region)")
        self.client.get(
            f"/registry/organizations/?q={random.choice(QUERIES)}&page={random.randint(1, 3)}",
            name="registry list (search)",
        )

    @task(4)
    def site_profile(self):
        self.client.get(f"/sites/{random.choice(SITE_IDS)}/", name="site profile")

    @task(3)
    def organization_profile(self):
        self.client.get(f"/organizations/{random.choice(ORG_IDS)}/", name="organization profile")

    @task(1)
    def region_page(self):
        self.client.get(f"/regions/{random.choice(REGIONS)}/", name="region page")
