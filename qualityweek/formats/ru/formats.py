"""Russian date formats, Django's own but for the day and month.

Django's Russian MONTH_DAY_FORMAT is "j F", the month in the nominative: the
admin's date drill-down read «6 Ноябрь». "E" is the genitive: «6 ноября».
"""

from django.conf.locale.ru.formats import *  # noqa: F403

MONTH_DAY_FORMAT = "j E"
