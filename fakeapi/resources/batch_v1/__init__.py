"""batch/v1: Jobs and CronJobs (one module each; schedule.py is the cron parser CronJob validation uses)."""

from __future__ import annotations

from fakeapi.registry.resource import ResourceInfo
from fakeapi.resources.batch_v1 import cronjobs, jobs

RESOURCES: list[ResourceInfo] = [jobs.RESOURCE, cronjobs.RESOURCE]
