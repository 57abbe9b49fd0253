"""Which country a runner's IANA time zone is in, for the emergency and same-day numbers.

Only zones we can place with confidence are listed: a zone shared by several countries, or
one not listed, gets no country, and the pain check falls back to "112 from any mobile" with a
line to check the local number. Pure: the zone name is passed in.
"""

from __future__ import annotations

_US = (
    "America/New_York America/Chicago America/Denver America/Los_Angeles America/Phoenix "
    "America/Anchorage America/Boise America/Detroit America/Juneau America/Sitka "
    "America/Nome America/Adak America/Menominee America/Metlakatla America/Yakutat "
    "America/Indiana/Indianapolis America/Indiana/Knox America/Indiana/Marengo "
    "America/Indiana/Petersburg America/Indiana/Tell_City America/Indiana/Vevay "
    "America/Indiana/Vincennes America/Indiana/Winamac America/Kentucky/Louisville "
    "America/Kentucky/Monticello America/North_Dakota/Beulah America/North_Dakota/Center "
    "America/North_Dakota/New_Salem America/Indianapolis America/Louisville "
    "Pacific/Honolulu US/Eastern US/Central US/Mountain US/Pacific US/Alaska US/Hawaii "
    "US/Arizona US/Michigan America/Puerto_Rico Pacific/Guam"
)
_CA = (
    "America/Toronto America/Vancouver America/Edmonton America/Winnipeg America/Halifax "
    "America/St_Johns America/Regina America/Moncton America/Montreal America/Whitehorse "
    "America/Yellowknife America/Iqaluit America/Glace_Bay America/Goose_Bay "
    "America/Swift_Current America/Dawson_Creek America/Fort_Nelson America/Creston "
    "America/Dawson America/Rankin_Inlet America/Cambridge_Bay America/Inuvik "
    "America/Atikokan America/Blanc-Sablon America/Nipigon America/Thunder_Bay "
    "America/Rainy_River America/Pangnirtung America/Resolute America/Coral_Harbour "
    "Canada/Eastern Canada/Central Canada/Mountain Canada/Pacific Canada/Atlantic "
    "Canada/Newfoundland Canada/Saskatchewan"
)
_SINGLE = {
    "Europe/London": "GB",
    "Europe/Belfast": "GB",
    "GB": "GB",
    "Europe/Dublin": "IE",
    "Eire": "IE",
    "Europe/Paris": "FR",
    "Europe/Berlin": "DE",
    "Europe/Busingen": "DE",
    "Europe/Vienna": "AT",
    "Europe/Zurich": "CH",
    "Europe/Madrid": "ES",
    "Atlantic/Canary": "ES",
    "Africa/Ceuta": "ES",
    "Europe/Rome": "IT",
    "Europe/Amsterdam": "NL",
    "Europe/Brussels": "BE",
    "Europe/Luxembourg": "LU",
    "Europe/Lisbon": "PT",
    "Atlantic/Madeira": "PT",
    "Atlantic/Azores": "PT",
    "Europe/Copenhagen": "DK",
    "Europe/Stockholm": "SE",
    "Europe/Oslo": "NO",
    "Europe/Helsinki": "FI",
    "Europe/Warsaw": "PL",
    "Europe/Prague": "CZ",
    "Europe/Bratislava": "SK",
    "Europe/Budapest": "HU",
    "Europe/Ljubljana": "SI",
    "Europe/Zagreb": "HR",
    "Europe/Athens": "GR",
    "Europe/Bucharest": "RO",
    "Europe/Sofia": "BG",
    "Europe/Tallinn": "EE",
    "Europe/Riga": "LV",
    "Europe/Vilnius": "LT",
    "Europe/Malta": "MT",
    "Asia/Nicosia": "CY",
    "Europe/Nicosia": "CY",
    "Atlantic/Reykjavik": "IS",
    "Pacific/Auckland": "NZ",
    "Pacific/Chatham": "NZ",
    "NZ": "NZ",
    "Asia/Tokyo": "JP",
    "Japan": "JP",
    "Asia/Kolkata": "IN",
    "Asia/Calcutta": "IN",
    "Asia/Singapore": "SG",
    "Singapore": "SG",
    "Asia/Hong_Kong": "HK",
    "Hongkong": "HK",
    "America/Sao_Paulo": "BR",
    "America/Fortaleza": "BR",
    "America/Recife": "BR",
    "America/Bahia": "BR",
    "America/Belem": "BR",
    "America/Manaus": "BR",
    "America/Cuiaba": "BR",
    "America/Campo_Grande": "BR",
    "America/Porto_Velho": "BR",
    "America/Boa_Vista": "BR",
    "America/Rio_Branco": "BR",
    "America/Maceio": "BR",
    "America/Araguaina": "BR",
    "America/Santarem": "BR",
    "America/Noronha": "BR",
    "America/Mexico_City": "MX",
    "America/Monterrey": "MX",
    "America/Merida": "MX",
    "America/Cancun": "MX",
    "America/Chihuahua": "MX",
    "America/Hermosillo": "MX",
    "America/Mazatlan": "MX",
    "America/Tijuana": "MX",
    "America/Matamoros": "MX",
    "America/Bahia_Banderas": "MX",
    "Africa/Johannesburg": "ZA",
}
ZONE_COUNTRY: dict[str, str] = {
    **dict.fromkeys(_US.split(), "US"),
    **dict.fromkeys(_CA.split(), "CA"),
    **_SINGLE,
}


def country_of(zone: str) -> str | None:
    """The ISO country code of a time zone, or None when we can't be sure."""
    if zone in ZONE_COUNTRY:
        return ZONE_COUNTRY[zone]
    if zone.startswith("Australia/"):
        return "AU"
    return None
