"""Log lines as JSON, one object a line, for a collector (QUALITYWEEK_LOG_FORMAT=json).

Each line holds the time (UTC, ISO 8601), the level, the logger, the message
with its arguments filled in, the request ID (qualityweek.request_id) and, for
an error, its traceback. Messages carry primary keys, never a person's data
(STYLE.md); nothing else of the record is written.
"""

import datetime
import json
import logging


class JSONFormatter(logging.Formatter):
    def format(self, record):
        line = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            "process": record.process,
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)
