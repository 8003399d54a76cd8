// Other ways people name the places a shop's data holds: old city names, abbreviations, and the adjective for a
// country's people ("British customers"). Each group names one place; the data's own spelling is whichever of the
// group the data holds, so "Irish" finds "EIRE" in a file that spells it so.

export const countryNames: string[][] = [
  ['united kingdom', 'uk', 'u.k', 'britain', 'great britain', 'gb'],
  ['eire', 'ireland', 'republic of ireland'],
  ['united states', 'usa', 'us', 'u.s', 'u.s.a', 'america', 'united states of america', 'the states', 'the us', 'the usa'],
  ['united arab emirates', 'uae', 'emirates', 'the uae', 'the emirates'],
  ['rsa', 'south africa'],
  ['india', 'bharat'], ['france'], ['germany', 'deutschland'], ['netherlands', 'the netherlands', 'holland'], ['spain'], ['switzerland'],
  ['australia'], ['nepal'], ['sri lanka', 'srilanka'], ['bangladesh'], ['singapore'], ['canada'], ['portugal'], ['italy'], ['belgium'],
  ['norway'], ['sweden'], ['denmark'], ['finland'], ['austria'], ['poland'], ['greece'], ['cyprus'], ['iceland'], ['japan'], ['israel'],
  ['lebanon'], ['bahrain'], ['saudi arabia', 'ksa', 'saudi'], ['czech republic', 'czechia'], ['lithuania'], ['malta'], ['brazil'],
  ['hong kong', 'hk'], ['channel islands'], ['european community', 'eu', 'european union'], ['china'], ['pakistan'], ['mexico'],
  ['new zealand', 'nz'], ['unspecified'],
];

/** The adjective for each country's people, used before "customers", "shoppers"… or after "are". */
export const demonyms: Record<string, string> = {
  british: 'united kingdom', brits: 'united kingdom', uk: 'united kingdom',
  irish: 'eire', american: 'united states', americans: 'united states', emirati: 'united arab emirates', emiratis: 'united arab emirates',
  'south african': 'rsa', 'south africans': 'rsa', indian: 'india', indians: 'india', french: 'france', german: 'germany', germans: 'germany',
  dutch: 'netherlands', spanish: 'spain', swiss: 'switzerland', australian: 'australia', australians: 'australia', aussie: 'australia', aussies: 'australia',
  nepali: 'nepal', nepalese: 'nepal', 'sri lankan': 'sri lanka', 'sri lankans': 'sri lanka', bangladeshi: 'bangladesh', singaporean: 'singapore', singaporeans: 'singapore',
  canadian: 'canada', canadians: 'canada', portuguese: 'portugal', italian: 'italy', italians: 'italy', belgian: 'belgium', norwegian: 'norway',
  swedish: 'sweden', danish: 'denmark', finnish: 'finland', austrian: 'austria', polish: 'poland', greek: 'greece', cypriot: 'cyprus',
  icelandic: 'iceland', japanese: 'japan', israeli: 'israel', lebanese: 'lebanon', bahraini: 'bahrain', saudi: 'saudi arabia', czech: 'czech republic',
  lithuanian: 'lithuania', maltese: 'malta', brazilian: 'brazil', chinese: 'china', pakistani: 'pakistan', mexican: 'mexico', kiwi: 'new zealand',
  russian: 'russia', russians: 'russia', korean: 'south korea', koreans: 'south korea', turkish: 'turkey', egyptian: 'egypt', kenyan: 'kenya', nigerian: 'nigeria',
  // The people, where the plural is not the adjective with an s.
  swedes: 'sweden', danes: 'denmark', finns: 'finland', poles: 'poland', spaniards: 'spain', czechs: 'czech republic', turks: 'turkey',
  icelanders: 'iceland', filipinos: 'philippines',
  thai: 'thailand', malaysian: 'malaysia', indonesian: 'indonesia', filipino: 'philippines', vietnamese: 'vietnam', argentinian: 'argentina', chilean: 'chile', hungarian: 'hungary', romanian: 'romania', ukrainian: 'ukraine', qatari: 'qatar', omani: 'oman', kuwaiti: 'kuwait',
};

/** Cities by their other names. */
export const cityNames: string[][] = [
  ['mumbai', 'bombay'], ['bengaluru', 'bangalore', 'blr'], ['kolkata', 'calcutta'], ['chennai', 'madras'], ['pune', 'poona'],
  ['gurugram', 'gurgaon'], ['kochi', 'cochin'], ['thiruvananthapuram', 'trivandrum'], ['vadodara', 'baroda'], ['mysuru', 'mysore'],
  ['new york', 'nyc', 'new york city', 'ny'], ['delhi', 'new delhi', 'ncr'], ['hyderabad', 'hyd'], ['ahmedabad', 'amdavad'], ['varanasi', 'benares', 'banaras'],
];
