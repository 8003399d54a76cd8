// The CRM's vocabulary as people write it: each phrase (one or more words) with the sense it carries. The parser
// matches the longest phrase at each place, so "last order" is one sense and "last" alone another.

export type Op = 'gt' | 'gte' | 'lt' | 'lte' | 'eq';
export type Head = 'spend' | 'aov' | 'order' | 'buy' | 'quiet' | 'last' | 'first' | 'joined' | 'count' | 'failed' | 'days' | 'sku';
export type PeriodUnit = 'days' | 'weeks' | 'months' | 'years';
export type Calendar = 'this_month' | 'last_month' | 'this_year' | 'last_year' | 'this_week' | 'last_week' | 'today' | 'yesterday' | 'this_quarter' | 'last_quarter';
export type Join = 'and' | 'or' | 'except';
export type Prep = 'in' | 'since' | 'before' | 'after' | 'between' | 'from' | 'to' | 'within' | 'for' | 'ago' | 'at' | 'on' | 'until';
export type Flag = 'subscribed' | 'unsubscribed' | 'received' | 'bounced' | 'no_email' | 'no_phone' | 'has_email' | 'has_phone' | 'tag' | 'email_users';

export type Sense =
  | { kind: 'cmp'; op: Op; after?: true }
  | { kind: 'neg' }
  | { kind: 'join'; join: Join }
  | { kind: 'head'; head: Head }
  | { kind: 'unit' }
  | { kind: 'period'; unit: PeriodUnit; amount?: number }
  | { kind: 'scale'; factor: number }
  | { kind: 'currency' }
  | { kind: 'number'; value: number }
  | { kind: 'times'; value: number }
  | { kind: 'prep'; prep: Prep }
  | { kind: 'recent' }
  | { kind: 'month'; month: number }
  | { kind: 'calendar'; which: Calendar }
  | { kind: 'quarter'; quarter: number }
  | { kind: 'edge'; edge: 'start' | 'end' }
  | { kind: 'label'; label: string }
  | { kind: 'outside' }
  | { kind: 'flag'; flag: Flag }
  | { kind: 'rank'; direction: 'desc' | 'asc'; by?: 'total_spend' | 'order_count' | 'average_order_value' | 'last_order_date' }
  | { kind: 'people' }
  | { kind: 'everyone' }
  | { kind: 'campaign' }
  | { kind: 'textop'; op: 'contains' | 'starts_with' }
  | { kind: 'textfield'; field: 'name' | 'phone' | 'email' | 'email_domain' }
  | { kind: 'presence'; set: boolean }
  | { kind: 'filler' };

const entries: [string, Sense][] = [];
const add = (phrases: string, sense: Sense) => {
  for (const p of phrases.split('|')) entries.push([p.trim(), sense]);
};

// Comparisons, before the number ("over 10k") or after it ("10k or more").
add('more then|greater then|over|more than|above|greater than|exceeding|exceeds|exceeded|north of|upwards of|in excess of|beyond|higher than|bigger than|larger than|>|past the', { kind: 'cmp', op: 'gt' });
add('at least|minimum|minimum of|a minimum of|min|no less than|not less than|no fewer than|not fewer than|>=|≥|atleast', { kind: 'cmp', op: 'gte' });
add('less then|fewer then|lower then|less than|fewer than|under|below|lower than|beneath|south of|smaller than|<', { kind: 'cmp', op: 'lt' });
add('no greater than|not greater than|no higher than|not higher than|no bigger than|at most|up to|upto|no more than|not more than|maximum|maximum of|a maximum of|max|<=|≤|not over|not above|within', { kind: 'cmp', op: 'lte' });
add('exactly|precisely|only|just|=', { kind: 'cmp', op: 'eq' });
add('or more|and more|and above|or above|and up|and upwards|or over|plus|+|or higher|and over|onwards|or greater', { kind: 'cmp', op: 'gte', after: true });
add('or less|or fewer|and below|or below|or under|and under|and less|or lower|at most|max|maximum|tops|at the most|or so less', { kind: 'cmp', op: 'lte', after: true });
add('at least|min|minimum|at the least', { kind: 'cmp', op: 'gte', after: true });

add("neither|!=|<>|non|without|not|no|never|haven't|havent|have not|hasn't|hasnt|has not|didn't|didnt|did not|don't|dont|do not|doesn't|doesnt|does not|won't|no longer|nothing|none|zero|aren't|isn't|weren't|wasn't|yet to|stopped|not yet|lack|lacks|lacking|missing", { kind: 'neg' });

add('and|but|with|who|whose|that|which|also|as well as|while|where|having|&|,|;|plus also|yet|and also|but also|along with|together with', { kind: 'join', join: 'and' });
add('or|either|and/or|/', { kind: 'join', join: 'or' });
// A condition on everything said before it: "… or bought a bedsheet, as long as they live outside Mumbai".
add('as long as|so long as|provided|provided that|providing|on condition that', { kind: 'join', join: 'and' });
add('except|excluding|exclude|but not|apart from|other than|not including|minus|leaving out|leave out|save for|barring|bar|omitting|omit|without counting|remove|drop', { kind: 'join', join: 'except' });

add('lifetime spender|lifetime spenders|spent|spend|spends|spending|spender|spenders|total spend|total spending|lifetime spend|lifetime value|ltv|clv|customer lifetime value|worth|paid|revenue|total value|purchase value|total purchases worth|sales|spent a total of', { kind: 'head', head: 'spend' });
add('avg ticket size|avg ticket|average ticket size|avg ord value|avg ord|avg . order value|average order value|aov|avg order value|avg. order value|average order|avg order|average basket|average basket size|average basket value|basket size|basket value|average spend per order|spend per order|average ticket|ticket size|average purchase value|average order size|average cart value|cart value|avg basket|order value|average spend', { kind: 'head', head: 'aov' });
add('place an order|place orders|placing orders|placed any order|placed any orders|ordered|order|ordering|shopped|shop|shopping|transacted|placed an order|placed orders|placed order|made a purchase|made purchases|made an order|visited|visit|come back|came back|been back|purchases|purchased something|bought something|bought anything|ordered anything|ordered something|buying anything|purchased anything|active|transacting', { kind: 'head', head: 'order' });
add('bought product|bought sku|bought item|bought the sku|product code|sku|item code|stock code', { kind: 'head', head: 'sku' });
add('bought|buy|buys|buying|purchased|purchase|purchasing|picked up|got|grabbed|ordered a|ordered an|ordered the|bought a|bought an|bought the|purchased a|purchased the|buyers of|purchasers of|fans of|lovers of', { kind: 'head', head: 'buy' });
add('days since the last order|days since last order|days since their last order|days since the last purchase', { kind: 'head', head: 'days' });
add('quiet|gone quiet|went quiet|go quiet|inactive|dormant|silent|gone silent|lapsed|idle|absent|away|asleep|sleeping|not active|been inactive|been quiet|gone|missing|not seen', { kind: 'head', head: 'quiet' });
add('last orders|last purchases|final purchase|final order|last order date|last order|last ordered|last purchase|last purchased|last bought|last visit|last visited|last shopped|last seen|last transaction|last transacted|most recent order|most recent purchase|latest order|latest purchase|last active|previous order|recent order|last buy|last order date|last purchase date', { kind: 'head', head: 'last' });
add('first order|first ordered|first purchase|first purchased|first bought|first shopped|first visit|first transaction|first order date|first buy|first came|first time', { kind: 'head', head: 'first' });
add('date they became a customer|the date they became a customer|joined|signed up|sign up|signup|signed-up|registered|created|became a customer|became customers|customer since|customers since|acquired|onboarded|added|joining|registration|sign-up|account created|came on board|started', { kind: 'head', head: 'joined' });
add('number of orders|the number of orders|order count|orders count|no of orders|no. of orders|# of orders|number of purchases|purchase count|visit count|number of visits|frequency|order frequency', { kind: 'head', head: 'count' });

add('orders|purchases|times|visits|transactions|baskets|invoices|bills|checkouts|occasions|orders placed|time', { kind: 'unit' });

add('day|days|d|dys', { kind: 'period', unit: 'days' });
add('week|weeks|wk|wks|w', { kind: 'period', unit: 'weeks' });
add('month|months|mo|mos|mths|mnths|mon', { kind: 'period', unit: 'months' });
add('year|years|yr|yrs|y', { kind: 'period', unit: 'years' });
add('fortnight', { kind: 'period', unit: 'weeks', amount: 2 });
add('quarter', { kind: 'period', unit: 'months', amount: 3 });
add('half a year|half year|six months', { kind: 'period', unit: 'months', amount: 6 });

add('k|thousand|thousands|grand|thou', { kind: 'scale', factor: 1e3 });
add('lakh|lakhs|lac|lacs|l', { kind: 'scale', factor: 1e5 });
add('crore|crores|cr', { kind: 'scale', factor: 1e7 });
add('million|millions|mn|m', { kind: 'scale', factor: 1e6 });
add('hundred', { kind: 'scale', factor: 100 });
add('₹|rs|rs.|inr|rupees|rupee|$|usd|dollars|£|gbp|pounds|€|eur|euros|bucks|quid', { kind: 'currency' });

const numberWords = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
numberWords.forEach((w, i) => add(w, { kind: 'number', value: i }));
for (const [w, v] of [['twenty', 20], ['thirty', 30], ['forty', 40], ['fifty', 50], ['sixty', 60], ['seventy', 70], ['eighty', 80], ['ninety', 90], ['a', 1], ['an', 1], ['a couple of', 2], ['couple of', 2], ['a few', 3], ['a dozen', 12], ['dozen', 12], ['single', 1]] as const) add(w, { kind: 'number', value: v });
add('once|one time|a single time|only once', { kind: 'times', value: 1 });
add('twice|two times', { kind: 'times', value: 2 });
add('thrice|three times', { kind: 'times', value: 3 });

add('in|during|within the|inside', { kind: 'prep', prep: 'in' });
add('since|from|starting|as of|starting from|beginning|on or after', { kind: 'prep', prep: 'since' });
add('on or before|up to and including|through the end of', { kind: 'prep', prep: 'until' });
add('before|prior to|earlier than|until|till|up until|by|pre', { kind: 'prep', prep: 'before' });
add('after|later than|post|following', { kind: 'prep', prep: 'after' });
add('between', { kind: 'prep', prep: 'between' });
add('to|through|thru|till the', { kind: 'prep', prep: 'to' });
add('for|for over|for more than|for at least', { kind: 'prep', prep: 'for' });
add('ago|back|before now', { kind: 'prep', prep: 'ago' });
add('on', { kind: 'prep', prep: 'on' });
add('at', { kind: 'prep', prep: 'at' });
add('last|past|previous|recent|trailing|preceding|the last|the past', { kind: 'recent' });

const months = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
months.forEach((m, i) => add(`${m}|${m.slice(0, 3)}${m === 'september' ? '|sept' : ''}`, { kind: 'month', month: i }));
add('the month|this month|current month|the current month|month to date|mtd', { kind: 'calendar', which: 'this_month' });
add('last month|previous month|the previous month|past month', { kind: 'calendar', which: 'last_month' });
add('the year|this year|current year|the current year|year to date|ytd', { kind: 'calendar', which: 'this_year' });
add('last year|previous year|the previous year', { kind: 'calendar', which: 'last_year' });
add('this week|current week', { kind: 'calendar', which: 'this_week' });
add('last week|previous week', { kind: 'calendar', which: 'last_week' });
add('this quarter|current quarter', { kind: 'calendar', which: 'this_quarter' });
for (const [q, n] of [['q1', 0], ['q2', 1], ['q3', 2], ['q4', 3]] as const) add(`${q}|the ${['first', 'second', 'third', 'fourth'][n]} quarter|${['first', 'second', 'third', 'fourth'][n]} quarter|the ${['first', 'second', 'third', 'fourth'][n]} quarter of|${['first', 'second', 'third', 'fourth'][n]} quarter of`, { kind: 'quarter', quarter: n });
add('last quarter|previous quarter', { kind: 'calendar', which: 'last_quarter' });
add('today', { kind: 'calendar', which: 'today' });
add('yesterday', { kind: 'calendar', which: 'yesterday' });
add('start of|beginning of|the start of|the beginning of|start|beginning|1st of the|first of|the first of', { kind: 'edge', edge: 'start' });
add('end of|the end of|close of', { kind: 'edge', edge: 'end' });

// Groups of customers by a description rather than a figure; each has a stated definition (labels.ts).
add('vip|vips|v.i.p|vip customers|top customers|best customers|big spenders|high spenders|high-value|high value|high-value customers|whales|premium customers|most valuable|top spenders|heavy spenders|biggest spenders|highest spenders|top-tier|valuable customers', { kind: 'label', label: 'vip' });
add('low spenders|small spenders|low-value|low value|light spenders', { kind: 'label', label: 'low' });
add('frequently|often|regularly|frequent|loyal|loyal customers|loyalists|regulars|regular customers|frequent buyers|frequent shoppers|frequent customers|power users|superfans', { kind: 'label', label: 'loyal' });
add('lapsed|dormant|churned|lost|inactive customers|lapsed customers|dormant customers|churned customers|lost customers|sleeping customers|gone cold|cold customers|win-back|winback|win back', { kind: 'label', label: 'lapsed' });
add('at risk|at-risk|at risk of churning|about to churn|likely to churn|churn risk|slipping away|risky', { kind: 'label', label: 'at_risk' });
add('new customers|new buyers|new shoppers|newcomers|first-time buyers|first time buyers|first-time customers|first time customers|fresh customers|recently acquired|new', { kind: 'label', label: 'new' });
add('active customers|active buyers|recent customers|recent buyers|recent shoppers|currently active|recently active|recently|lately|of late|these days', { kind: 'label', label: 'active' });
add('one-time buyer|one time buyer|one-time customer|one time customer|one-time shopper|one-time shoppers|one-time buyers|one time buyers|one-time customers|one time customers|one-off buyers|single-purchase|single purchase|one-timers|one timers|single-order', { kind: 'label', label: 'one_time' });
add('whether or not|or not', { kind: 'filler' });
add('push|push notification|notification|notifications|include|including|cashback|cash back|blast', { kind: 'campaign' });
add('returning shoppers|returning clients|repeat|repeat customers|repeat buyers|returning customers|returning buyers|repeat purchasers|came back again|multi-order|more than once|ordered again|bought again|purchased again', { kind: 'label', label: 'repeat' });
add('prospects|leads|non-buyers|non buyers', { kind: 'label', label: 'never' });

add('contains|containing|includes|including|has the word|with the word', { kind: 'textop', op: 'contains' });
add('starts with|starting with|begins with|beginning with|start with|begin with', { kind: 'textop', op: 'starts_with' });
add('name|names|full name|first name|last name|surname', { kind: 'textfield', field: 'name' });
add('email domain|mail domain', { kind: 'textfield', field: 'email_domain' });
add('is empty|is blank|is missing|is not set|are empty|are missing|is null|not available|unavailable|not present|not on file|= empty|empty|blank', { kind: 'presence', set: false });
add('present|available|is available|on file|is on file|filled in|is filled|is present|exists', { kind: 'presence', set: true });
add('is set|is not empty|is present|is known|is filled', { kind: 'presence', set: true });
add('phone no|phone no .|mobile no|mobile no .|phone|phone number|phone numbers|mobile|mobile number|mobile numbers|number starting', { kind: 'textfield', field: 'phone' });
add('outside|outside of|not in|not from|not based in|not living in|anywhere but|other than in|elsewhere than', { kind: 'outside' });

add('subscribed|still subscribed|opted in|opted-in|opt in|opt-in|on the list|on our list|signed up for emails|reachable|emailable|marketable|accept marketing|accepts marketing', { kind: 'flag', flag: 'subscribed' });
add('unsubscribed|opted out|opted-out|opt out|opt-out|unsubscribers|unsubs|unsubbed|not subscribed', { kind: 'flag', flag: 'unsubscribed' });
add('received|got|were sent|was sent|been sent', { kind: 'flag', flag: 'received' });
add('emails bounced|email bounced|emails bounce|email bounces|emails failed|messages failed|messages bounced|sms failed|texts failed|bounced|bounce|bounces|failed delivery|failed deliveries|delivery failed|delivery failures|undeliverable|hard bounced|failed|failures', { kind: 'flag', flag: 'bounced' });
// "Missing an email address", "lacking a phone number", "email missing": the detail is empty.
add('missing email|missing email address|missing e-mail|missing email id|missing emails|missing email addresses|missing a email|missing a email address|missing a e-mail|missing a email id|missing a emails|missing a email addresses|missing an email|missing an email address|missing an e-mail|missing an email id|missing an emails|missing an email addresses|missing any email|missing any email address|missing any e-mail|missing any email id|missing any emails|missing any email addresses|lacking email|lacking email address|lacking e-mail|lacking email id|lacking emails|lacking email addresses|lacking a email|lacking a email address|lacking a e-mail|lacking a email id|lacking a emails|lacking a email addresses|lacking an email|lacking an email address|lacking an e-mail|lacking an email id|lacking an emails|lacking an email addresses|lacking any email|lacking any email address|lacking any e-mail|lacking any email id|lacking any emails|lacking any email addresses|lacks email|lacks email address|lacks e-mail|lacks email id|lacks emails|lacks email addresses|lacks a email|lacks a email address|lacks a e-mail|lacks a email id|lacks a emails|lacks a email addresses|lacks an email|lacks an email address|lacks an e-mail|lacks an email id|lacks an emails|lacks an email addresses|lacks any email|lacks any email address|lacks any e-mail|lacks any email id|lacks any emails|lacks any email addresses|lack email|lack email address|lack e-mail|lack email id|lack emails|lack email addresses|lack a email|lack a email address|lack a e-mail|lack a email id|lack a emails|lack a email addresses|lack an email|lack an email address|lack an e-mail|lack an email id|lack an emails|lack an email addresses|lack any email|lack any email address|lack any e-mail|lack any email id|lack any emails|lack any email addresses|without email|without email address|without e-mail|without email id|without emails|without email addresses|without a email|without a email address|without a e-mail|without a email id|without a emails|without a email addresses|without an email|without an email address|without an e-mail|without an email id|without an emails|without an email addresses|without any email|without any email address|without any e-mail|without any email id|without any emails|without any email addresses|with no email|with no email address|with no e-mail|with no email id|with no emails|with no email addresses|with no a email|with no a email address|with no a e-mail|with no a email id|with no a emails|with no a email addresses|with no an email|with no an email address|with no an e-mail|with no an email id|with no an emails|with no an email addresses|with no any email|with no any email address|with no any e-mail|with no any email id|with no any emails|with no any email addresses|no email|no email address|no e-mail|no email id|no emails|no email addresses|no a email|no a email address|no a e-mail|no a email id|no a emails|no a email addresses|no an email|no an email address|no an e-mail|no an email id|no an emails|no an email addresses|no any email|no any email address|no any e-mail|no any email id|no any emails|no any email addresses|email missing|email is missing|email not on file|no email on file|email unknown|email address missing|email address is missing|email address not on file|no email address on file|email address unknown|e-mail missing|e-mail is missing|e-mail not on file|no e-mail on file|e-mail unknown|email id missing|email id is missing|email id not on file|no email id on file|email id unknown|emails missing|emails is missing|emails not on file|no emails on file|emails unknown|email addresses missing|email addresses is missing|email addresses not on file|no email addresses on file|email addresses unknown|are missing an email|are missing an email address|are missing a email|are missing email|are missing emails|are missing email addresses|is missing an email|is missing an email address|is missing a email|is missing email|is missing emails|is missing email addresses|who are missing an email|who are missing an email address|who are missing a email|who are missing email|who are missing emails|who are missing email addresses', { kind: 'flag', flag: 'no_email' });
add('missing phone|missing phone number|missing mobile|missing mobile number|missing phones|missing phone numbers|missing contact number|missing a phone|missing a phone number|missing a mobile|missing a mobile number|missing a phones|missing a phone numbers|missing a contact number|missing an phone|missing an phone number|missing an mobile|missing an mobile number|missing an phones|missing an phone numbers|missing an contact number|missing any phone|missing any phone number|missing any mobile|missing any mobile number|missing any phones|missing any phone numbers|missing any contact number|lacking phone|lacking phone number|lacking mobile|lacking mobile number|lacking phones|lacking phone numbers|lacking contact number|lacking a phone|lacking a phone number|lacking a mobile|lacking a mobile number|lacking a phones|lacking a phone numbers|lacking a contact number|lacking an phone|lacking an phone number|lacking an mobile|lacking an mobile number|lacking an phones|lacking an phone numbers|lacking an contact number|lacking any phone|lacking any phone number|lacking any mobile|lacking any mobile number|lacking any phones|lacking any phone numbers|lacking any contact number|lacks phone|lacks phone number|lacks mobile|lacks mobile number|lacks phones|lacks phone numbers|lacks contact number|lacks a phone|lacks a phone number|lacks a mobile|lacks a mobile number|lacks a phones|lacks a phone numbers|lacks a contact number|lacks an phone|lacks an phone number|lacks an mobile|lacks an mobile number|lacks an phones|lacks an phone numbers|lacks an contact number|lacks any phone|lacks any phone number|lacks any mobile|lacks any mobile number|lacks any phones|lacks any phone numbers|lacks any contact number|lack phone|lack phone number|lack mobile|lack mobile number|lack phones|lack phone numbers|lack contact number|lack a phone|lack a phone number|lack a mobile|lack a mobile number|lack a phones|lack a phone numbers|lack a contact number|lack an phone|lack an phone number|lack an mobile|lack an mobile number|lack an phones|lack an phone numbers|lack an contact number|lack any phone|lack any phone number|lack any mobile|lack any mobile number|lack any phones|lack any phone numbers|lack any contact number|without phone|without phone number|without mobile|without mobile number|without phones|without phone numbers|without contact number|without a phone|without a phone number|without a mobile|without a mobile number|without a phones|without a phone numbers|without a contact number|without an phone|without an phone number|without an mobile|without an mobile number|without an phones|without an phone numbers|without an contact number|without any phone|without any phone number|without any mobile|without any mobile number|without any phones|without any phone numbers|without any contact number|with no phone|with no phone number|with no mobile|with no mobile number|with no phones|with no phone numbers|with no contact number|with no a phone|with no a phone number|with no a mobile|with no a mobile number|with no a phones|with no a phone numbers|with no a contact number|with no an phone|with no an phone number|with no an mobile|with no an mobile number|with no an phones|with no an phone numbers|with no an contact number|with no any phone|with no any phone number|with no any mobile|with no any mobile number|with no any phones|with no any phone numbers|with no any contact number|no phone|no phone number|no mobile|no mobile number|no phones|no phone numbers|no contact number|no a phone|no a phone number|no a mobile|no a mobile number|no a phones|no a phone numbers|no a contact number|no an phone|no an phone number|no an mobile|no an mobile number|no an phones|no an phone numbers|no an contact number|no any phone|no any phone number|no any mobile|no any mobile number|no any phones|no any phone numbers|no any contact number|phone missing|phone is missing|phone not on file|no phone on file|phone unknown|phone number missing|phone number is missing|phone number not on file|no phone number on file|phone number unknown|mobile missing|mobile is missing|mobile not on file|no mobile on file|mobile unknown|mobile number missing|mobile number is missing|mobile number not on file|no mobile number on file|mobile number unknown|phones missing|phones is missing|phones not on file|no phones on file|phones unknown|phone numbers missing|phone numbers is missing|phone numbers not on file|no phone numbers on file|phone numbers unknown|contact number missing|contact number is missing|contact number not on file|no contact number on file|contact number unknown|are missing a phone|are missing a phone number|are missing phone|are missing phone numbers|are missing a mobile|are missing a mobile number|are missing phone no|are missing a phone no|is missing a phone|is missing a phone number|is missing phone|is missing phone numbers|is missing a mobile|is missing a mobile number|is missing phone no|is missing a phone no|who are missing a phone|who are missing a phone number|who are missing phone|who are missing phone numbers|who are missing a mobile|who are missing a mobile number|who are missing phone no|who are missing a phone no', { kind: 'flag', flag: 'no_phone' });
add('no email|without email|without any email|without any email address|with no email|with no email address|without an email|missing email|no email address|without an email address|missing emails|no emails', { kind: 'flag', flag: 'no_email' });
add('no phone|without phone|without any phone|without any phone number|with no phone|with no phone number|without a phone|missing phone|no phone number|without a phone number|no mobile|without a mobile|no mobile number|missing phone numbers', { kind: 'flag', flag: 'no_phone' });
add('with email|with an email|have an email|has an email|with email addresses|with an email address', { kind: 'flag', flag: 'has_email' });
add('with phone|with a phone|have a phone|has a phone|with a phone number|with phone numbers|with a mobile number', { kind: 'flag', flag: 'has_phone' });
add('tagged|tag|tags|labelled|labeled|with the tag|tagged as|labelled as|in the programme|in the program|segment tag', { kind: 'flag', flag: 'tag' });
add('users|addresses|address|accounts|account|ids|id|mail|emails|email|email ids|email addresses|mail users|email users|mailbox|domain', { kind: 'flag', flag: 'email_users' });

add('top|biggest|largest|highest|best|most|highest-spending|top-spending|leading|greatest|heaviest|most valuable', { kind: 'rank', direction: 'desc' });
add('bottom|smallest|lowest|least|worst', { kind: 'rank', direction: 'asc' });
add('fewest|fewest orders|least orders|ordered the least|least frequent|least loyal|least active|least often|the least often|least frequently|buy the least|order the least|purchase the least|buys the least|orders the least', { kind: 'rank', direction: 'asc', by: 'order_count' });
add('silent the longest|quiet the longest|inactive the longest|dormant the longest|been silent the longest|been quiet the longest|oldest|earliest|longest ago|gone the longest|the longest|longest since|longest without ordering|furthest in the past|furthest back|in the longest time|the longest time', { kind: 'rank', direction: 'asc', by: 'last_order_date' });
add('desc|descending|highest first', { kind: 'rank', direction: 'desc' });
add('asc|ascending|lowest first', { kind: 'rank', direction: 'asc' });
add('biggest spender|top spender|top customer|best customer|highest spender|most valuable customer|largest spender|biggest customer|biggest buyer|best buyer|top buyer', { kind: 'rank', direction: 'desc', by: 'total_spend' });
add('ordered the most|bought the most|shopped the most|purchased the most|most orders|ordered most|shop the most|order the most', { kind: 'rank', direction: 'desc', by: 'order_count' });
add('most frequent|most loyal|most orders|most regular|most often|the most often|most frequently|most active', { kind: 'rank', direction: 'desc', by: 'order_count' });
add('the latest order|the most recent order|the latest purchase|the most recent purchase|most recent|latest|newest|most recently active|most recently|ordered most recently|bought most recently|shopped most recently|purchased most recently|most recently ordered|most recently purchased|most recent order|most recent purchase', { kind: 'rank', direction: 'desc', by: 'last_order_date' });
add('least recently|least recently ordered|least recently active|ordered least recently|least recent', { kind: 'rank', direction: 'asc', by: 'last_order_date' });

add('customers|customer|people|persons|users|user|buyers|buyer|shoppers|shopper|clients|client|folks|members|member|accounts|contacts|contact|consumers|guys|ones|audience|base|profiles|purchasers|patrons|individuals|recipients', { kind: 'people' });
add('everyone|everybody|all customers|all our customers|all of our customers|all my customers|every customer|whole customer base|entire customer base|whole base|entire base|customer base|all the customers|total customers|all users|entire list|whole list|all contacts', { kind: 'everyone' });
add('reminder|reminders|announcement|invitation|greetings|saying|that says|which says|reading|with the message|with the text|with a message|telling them|letting them know|draft|plan|prepare|schedule|create a campaign|set up a campaign|write|compose|send|email them|mail them|text them|sms them|message them|whatsapp them|ping them|notify|offer|campaign|launch|blast|reach out|promo|coupon|discount|voucher|sale offer|win-back offer|winback offer|nudge them|remind them|give them', { kind: 'campaign' });

// Words that carry no condition: questions, commands, articles, politeness.
// Words that add nothing to who the customers are: how the answer is wanted, when a date "falls", and "whatever they
// spent" (no condition on it at all).
add(`money|the money|gimme|give me|we've got|we have got|we've|field|sometime|some time|at any point|falls|fell|falls in|fell in|carries|carry|carrying the|place|placing|a table of|table of|print me|print out|print me a list of|the retail data|retail data|retail data set|retail dataset|every city|every country|every city and country|every country included|all countries|all cities|included|whatever they've spent|whatever they spent|whatever they have spent|whatever their spend|regardless of spend|regardless of how much they spent|no matter how much they spent|no matter what they spent`, { kind: 'filler' });
add(`use|uses|using|anywhere in|anywhere|somewhere in|not only|can|can i|can i see|may i see|could i see|share|kindly share|please share|revert|revert asap|asap|itself|today itself|need it today|by today|by eod|eod|organise|organize|analyze|analyse|analyse the|prioritize|prioritise|leaderboard|basically|at some point|ever before|no filters|without filters|everything we have on|everything on|all we have on|carrying|sort|sorted|order by|sort by|sorted by|ranked by|rank by|select|rank|ranked|show top|again|where|lookup|look-up|cust lookup|no . of|no of|the month of|month of|the year of|in the year|full|entire|complete|this data set|the data set|among|amongst|data set|dataset|this data|the data|headcount|head count|combined|together|summarise|summarize|if|only if|they've|they have|they are|they're|whether|open|card|customer card|record|page|came|come|happened|took place|occurred|calendar|stores|shops|branches|outlets|branch|outlet|described as|a product described as|product described as|products described as|live|lives|info|info on|information|information on|details|details of|details on|profile|profiles|history|know|customer profile|about|based|based in|located|located in|living|living in|residing|residing in|who live in|who live|hailing from|country|countries|city|cities|location|locations|region|town|both|placed|have placed|has placed|made|on file|on record|in the system|saved|stored|create a segment of|make a segment of|build a segment of|create a segment|make a segment|segment of|what do we know about|know about|how big|how large|size of|the size of|how many|how much|count|counts|number|total|show|show me|list|find|get|give|give me|fetch|pull|pull up|display|tell me|let me know|can you|could you|would you|will you|please|pls|plz|kindly|i|we|me|us|our|my|you|the|a|an|all|those|them|these|they|this|that's|who's|who're|who've|are|is|were|was|be|been|being|have|has|had|do|does|did|there|any|some|still|ever|yet|so far|of|what|whats|what's|want|wanted|need|needs|like|would like|to|see|know|look|looking|interested|check|hey|hi|hello|ok|okay|now|currently|right now|at all|too|as well|also|just|really|actually|about|roughly|approximately|around|approx|segment|group|list of|set of|cohort|bunch|identify|filter|select|pick|who all|whom|here|there are|it|its|it's|anyone|anybody|someone|in total|overall|altogether|do we have|have we got|did we|how|many|much|size|sized|count of|the number of|number of|figure|volume|there be|any of|same|such|in our database|in the database|in the crm|in our crm|database|crm|data|records|record|find me|get me|show all|list all|let's|lets|let us|quick|quickly|asap|thanks|thank you|cheers|needful|do the needful|fine|sure|great|good|with us|from us|our store|our shop|the store|the shop|store|shop|online|website|in total|so|then|yes|again please|period|timeframe|time frame|range|the period|window|value|amount|sum|figure of|rupees worth|worth of|overall spend|category|categories|item|items|product|products|stuff|things|thing|something|anything|goods|merchandise|either of|both|each|per|by|via|using|rule|rules|condition|conditions|criteria|where their|their|his|her|whose total|in all|all time|ever since|till date|to date|so far|up to now|until now|through today|as of today|till now|hitherto|already|very`, { kind: 'filler' });

/** Every phrase with all its senses, keyed by its first word, longest first: the parser picks the sense by context. */
export const lexicon = new Map<string, { words: string[]; senses: Sense[] }[]>();
for (const [phrase, sense] of entries) {
  const words = phrase.split(/\s+/);
  const list = lexicon.get(words[0]) ?? [];
  const same = list.find((e) => e.words.join(' ') === phrase);
  if (same) same.senses.push(sense);
  else list.push({ words, senses: [sense] });
  lexicon.set(words[0], list);
}
for (const list of lexicon.values()) list.sort((a, b) => b.words.length - a.words.length);

/** Misspellings too short for edit distance, or common enough to know by heart. */
export const commonTypos: Record<string, string> = {
  teh: 'the', hte: 'the', adn: 'and', nad: 'and', taht: 'that', wiht: 'with', whit: 'with', thier: 'their', fo: 'of', ot: 'to', ordr: 'order',
  r: 'are', ovr: 'over', undr: 'under', ords: 'orders', ord: 'order', amt: 'amount', cust: 'customer', custs: 'customers', profle: 'profile', lookp: 'lookup', abv: 'above', lst: 'last', ordrs: 'orders', ppl: 'people', wk: 'week', yr: 'year', mth: 'month', mnth: 'month',
  recieved: 'received', recieve: 'receive', custmer: 'customer', cutomers: 'customers', cusomers: 'customers', purchsed: 'purchased', havnt: "haven't", hvnt: "haven't", dint: "didn't", didnt: "didn't",
};

/** Every single word the lexicon knows, for typo correction. */
export const lexiconWords = new Set(entries.flatMap(([p]) => p.split(/\s+/)).filter((w) => /^[a-z][a-z'-]{3,}$/.test(w)));
