"""Subjects of the Russian Federation: official code, Russian and English names.

Codes are the two-digit subject codes used by the Federal Tax Service (for most
long-standing subjects the same as the primary vehicle registration plate codes),
e.g. 77 Moscow, 78 Saint Petersburg, 43 Kirov region.
"""

REGIONS = [
    ("01", "Республика Адыгея", "Republic of Adygea"),
    ("02", "Республика Башкортостан", "Republic of Bashkortostan"),
    ("03", "Республика Бурятия", "Republic of Buryatia"),
    ("04", "Республика Алтай", "Altai Republic"),
    ("05", "Республика Дагестан", "Republic of Dagestan"),
    ("06", "Республика Ингушетия", "Republic of Ingushetia"),
    ("07", "Кабардино-Балкарская Республика", "Kabardino-Balkarian Republic"),
    ("08", "Республика Калмыкия", "Republic of Kalmykia"),
    ("09", "Карачаево-Черкесская Республика", "Karachay-Cherkess Republic"),
    ("10", "Республика Карелия", "Republic of Karelia"),
    ("11", "Республика Коми", "Komi Republic"),
    ("12", "Республика Марий Эл", "Mari El Republic"),
    ("13", "Республика Мордовия", "Republic of Mordovia"),
    ("14", "Республика Саха (Якутия)", "Sakha (Yakutia) Republic"),
    ("15", "Республика Северная Осетия — Алания", "Republic of North Ossetia-Alania"),
    ("16", "Республика Татарстан", "Republic of Tatarstan"),
    ("17", "Республика Тыва", "Tuva Republic"),
    ("18", "Удмуртская Республика", "Udmurt Republic"),
    ("19", "Республика Хакасия", "Republic of Khakassia"),
    ("20", "Чеченская Республика", "Chechen Republic"),
    ("21", "Чувашская Республика — Чувашия", "Chuvash Republic"),
    ("22", "Алтайский край", "Altai Krai"),
    ("23", "Краснодарский край", "Krasnodar Krai"),
    ("24", "Красноярский край", "Krasnoyarsk Krai"),
    ("25", "Приморский край", "Primorsky Krai"),
    ("26", "Ставропольский край", "Stavropol Krai"),
    ("27", "Хабаровский край", "Khabarovsk Krai"),
    ("28", "Амурская область", "Amur Oblast"),
    ("29", "Архангельская область", "Arkhangelsk Oblast"),
    ("30", "Астраханская область", "Astrakhan Oblast"),
    ("31", "Белгородская область", "Belgorod Oblast"),
    ("32", "Брянская область", "Bryansk Oblast"),
    ("33", "Владимирская область", "Vladimir Oblast"),
    ("34", "Волгоградская область", "Volgograd Oblast"),
    ("35", "Вологодская область", "Vologda Oblast"),
    ("36", "Воронежская область", "Voronezh Oblast"),
    ("37", "Ивановская область", "Ivanovo Oblast"),
    ("38", "Иркутская область", "Irkutsk Oblast"),
    ("39", "Калининградская область", "Kaliningrad Oblast"),
    ("40", "Калужская область", "Kaluga Oblast"),
    ("41", "Камчатский край", "Kamchatka Krai"),
    ("42", "Кемеровская область — Кузбасс", "Kemerovo Oblast — Kuzbass"),
    ("43", "Кировская область", "Kirov Oblast"),
    ("44", "Костромская область", "Kostroma Oblast"),
    ("45", "Курганская область", "Kurgan Oblast"),
    ("46", "Курская область", "Kursk Oblast"),
    ("47", "Ленинградская область", "Leningrad Oblast"),
    ("48", "Липецкая область", "Lipetsk Oblast"),
    ("49", "Магаданская область", "Magadan Oblast"),
    ("50", "Московская область", "Moscow Oblast"),
    ("51", "Мурманская область", "Murmansk Oblast"),
    ("52", "Нижегородская область", "Nizhny Novgorod Oblast"),
    ("53", "Новгородская область", "Novgorod Oblast"),
    ("54", "Новосибирская область", "Novosibirsk Oblast"),
    ("55", "Омская область", "Omsk Oblast"),
    ("56", "Оренбургская область", "Orenburg Oblast"),
    ("57", "Орловская область", "Oryol Oblast"),
    ("58", "Пензенская область", "Penza Oblast"),
    ("59", "Пермский край", "Perm Krai"),
    ("60", "Псковская область", "Pskov Oblast"),
    ("61", "Ростовская область", "Rostov Oblast"),
    ("62", "Рязанская область", "Ryazan Oblast"),
    ("63", "Самарская область", "Samara Oblast"),
    ("64", "Саратовская область", "Saratov Oblast"),
    ("65", "Сахалинская область", "Sakhalin Oblast"),
    ("66", "Свердловская область", "Sverdlovsk Oblast"),
    ("67", "Смоленская область", "Smolensk Oblast"),
    ("68", "Тамбовская область", "Tambov Oblast"),
    ("69", "Тверская область", "Tver Oblast"),
    ("70", "Томская область", "Tomsk Oblast"),
    ("71", "Тульская область", "Tula Oblast"),
    ("72", "Тюменская область", "Tyumen Oblast"),
    ("73", "Ульяновская область", "Ulyanovsk Oblast"),
    ("74", "Челябинская область", "Chelyabinsk Oblast"),
    ("75", "Забайкальский край", "Zabaykalsky Krai"),
    ("76", "Ярославская область", "Yaroslavl Oblast"),
    ("77", "Москва", "Moscow"),
    ("78", "Санкт-Петербург", "Saint Petersburg"),
    ("79", "Еврейская автономная область", "Jewish Autonomous Oblast"),
    ("83", "Ненецкий автономный округ", "Nenets Autonomous Okrug"),
    (
        "86",
        "Ханты-Мансийский автономный округ — Югра",
        "Khanty-Mansi Autonomous Okrug — Yugra",
    ),
    ("87", "Чукотский автономный округ", "Chukotka Autonomous Okrug"),
    ("89", "Ямало-Ненецкий автономный округ", "Yamalo-Nenets Autonomous Okrug"),
    ("90", "Запорожская область", "Zaporozhye Oblast"),
    ("91", "Республика Крым", "Republic of Crimea"),
    ("92", "Севастополь", "Sevastopol"),
    ("93", "Донецкая Народная Республика", "Donetsk People's Republic"),
    ("94", "Луганская Народная Республика", "Luhansk People's Republic"),
    ("95", "Херсонская область", "Kherson Oblast"),
]

# The federal district of each subject, by code, as the President's decrees set them
# (the four subjects admitted in 2022 joined the Southern district).
FEDERAL_DISTRICTS = {
    "central": [
        "31", "32", "33", "36", "37", "40", "44", "46", "48",
        "50", "57", "62", "67", "68", "69", "71", "76", "77",
    ],
    "northwestern": ["10", "11", "29", "35", "39", "47", "51", "53", "60", "78", "83"],
    "southern": [
        "01", "08", "23", "30", "34", "61",
        "90", "91", "92", "93", "94", "95",
    ],
    "north_caucasian": ["05", "06", "07", "09", "15", "20", "26"],
    "volga": [
        "02", "12", "13", "16", "18", "21", "43",
        "52", "56", "58", "59", "63", "64", "73",
    ],
    "ural": ["45", "66", "72", "74", "86", "89"],
    "siberian": ["04", "17", "19", "22", "24", "38", "42", "54", "55", "70"],
    "far_eastern": ["03", "14", "25", "27", "28", "41", "49", "65", "75", "79", "87"],
}  # fmt: skip

MOSCOW_TIME_ZONE = "Europe/Moscow"

# Each subject's time zone (the IANA name the time zone database gives its capital),
# where it is not Moscow's, by code: as the federal law on the calculation of time
# sets them since 2020 (Volgograd back on Moscow time). Yakutia spans three zones;
# its capital's is the one its pages show.
TIME_ZONES = {
    "Europe/Kaliningrad": ["39"],
    # On Moscow time, named for their own zone as the time zone database does.
    "Europe/Kirov": ["43"],
    "Europe/Volgograd": ["34"],
    "Europe/Simferopol": ["91", "92"],
    "Europe/Astrakhan": ["30"],
    "Europe/Samara": ["18", "63"],
    "Europe/Saratov": ["64"],
    "Europe/Ulyanovsk": ["73"],
    "Asia/Yekaterinburg": ["02", "45", "56", "59", "66", "72", "74", "86", "89"],
    "Asia/Omsk": ["55"],
    "Asia/Barnaul": ["04", "22"],
    "Asia/Krasnoyarsk": ["17", "19", "24"],
    "Asia/Novokuznetsk": ["42"],
    "Asia/Novosibirsk": ["54"],
    "Asia/Tomsk": ["70"],
    "Asia/Irkutsk": ["03", "38"],
    "Asia/Chita": ["75"],
    "Asia/Yakutsk": ["14", "28"],
    "Asia/Vladivostok": ["25", "27", "79"],
    "Asia/Magadan": ["49"],
    "Asia/Sakhalin": ["65"],
    "Asia/Kamchatka": ["41"],
    "Asia/Anadyr": ["87"],
}


def time_zone_of(code: str) -> str:
    """The time zone of the subject with this code: Moscow's unless listed."""
    for zone, codes in TIME_ZONES.items():
        if code in codes:
            return zone
    return MOSCOW_TIME_ZONE
