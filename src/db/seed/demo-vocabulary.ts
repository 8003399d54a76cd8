// Names, places and products of the demo shop: mostly Indian, with customers abroad too.

export const indianFirstNames = ['Aarav', 'Vivaan', 'Aditya', 'Ananya', 'Diya', 'Priya', 'Rohan', 'Saanvi', 'Ishaan', 'Kavya', 'Arjun', 'Meera', 'Rahul', 'Sneha', 'Vikram', 'Neha', 'Aisha', 'Kabir', 'Zoya', 'Farhan', 'Harpreet', 'Gurpreet', 'Lakshmi', 'Karthik', 'Deepa', 'Suresh', 'Ramesh', 'Pooja', 'Nikhil', 'Tanvi', 'Aryan', 'Riya', 'Siddharth', 'Ira', 'Manish', 'Divya', 'Amit', 'Shreya', 'Varun', 'Nandini', 'Imran', 'Sana', 'Joseph', 'Maria', 'Anil', 'Geeta', 'Rajesh', 'Swati', 'Yash', 'Pallavi'] as const;
export const indianLastNames = ['Sharma', 'Verma', 'Iyer', 'Nair', 'Reddy', 'Patel', 'Shah', 'Gupta', 'Singh', 'Khan', 'Das', 'Banerjee', 'Mukherjee', 'Chatterjee', 'Menon', 'Pillai', 'Rao', 'Joshi', 'Kulkarni', 'Desai', 'Mehta', 'Kapoor', 'Malhotra', 'Bhat', 'Fernandes', 'DSouza', 'Agarwal', 'Chopra', 'Saxena', 'Qureshi', 'Ghosh', 'Bose', 'Naidu', 'Hegde', 'Gill'] as const;
export const otherFirstNames = ['Emma', 'Liam', 'Olivia', 'Noah', 'Sophia', 'Lucas', 'Mia', 'Yuki', 'Wei', 'Fatima', 'Omar', 'Carlos', 'Ana', 'Hannah', 'James', 'Chloe', 'Ahmed', 'Layla', 'Kenji', 'Isabella'] as const;
export const otherLastNames = ['Smith', 'Brown', 'Müller', 'Rossi', 'Tanaka', 'Wang', 'Silva', 'Garcia', 'Ahmed', 'Wilson', 'Taylor', 'Martin', 'Kim', 'Nguyen', 'Haddad', 'Cohen', 'Johnson', 'Lee', 'Okafor', 'Dubois'] as const;

export const indianCities: readonly (readonly [string, number])[] = [
  ['Mumbai', 16], ['Delhi', 15], ['Bengaluru', 14], ['Chennai', 9], ['Hyderabad', 9], ['Kolkata', 7], ['Pune', 7], ['Ahmedabad', 5],
  ['Jaipur', 4], ['Lucknow', 3], ['Kochi', 3], ['Chandigarh', 2], ['Indore', 2], ['Coimbatore', 2], ['Surat', 2],
];
export const abroad: readonly (readonly [string, string, string, number])[] = [
  // city, country, phone prefix, weight
  ['Dubai', 'United Arab Emirates', '+971', 5], ['Singapore', 'Singapore', '+65', 4], ['London', 'United Kingdom', '+44', 4],
  ['New York', 'United States', '+1', 3], ['Toronto', 'Canada', '+1', 3], ['Sydney', 'Australia', '+61', 2],
  ['Kathmandu', 'Nepal', '+977', 2], ['Colombo', 'Sri Lanka', '+94', 2], ['Dhaka', 'Bangladesh', '+880', 1],
];

export const emailDomains: readonly (readonly [string, number])[] = [
  ['gmail.com', 50], ['yahoo.co.in', 10], ['outlook.com', 10], ['rediffmail.com', 5], ['hotmail.com', 5], ['icloud.com', 4], ['infosys.com', 2], ['tcs.com', 2],
];

export const tagOdds: readonly (readonly [string, number])[] = [['newsletter', 0.4], ['app-user', 0.3], ['loyalty', 0.2], ['wholesale', 0.03], ['festive-shopper', 0.15]];

// sku, description, unit price in rupees
export const catalogue: readonly (readonly [string, string, string])[] = [
  ['KUR-001', 'Cotton Kurta', '899.00'], ['SAR-014', 'Banarasi Silk Saree', '4599.00'], ['TEA-003', 'Masala Chai Tin 250g', '349.00'],
  ['RIC-005', 'Basmati Rice 5kg', '749.00'], ['DIY-010', 'Brass Diya Set', '1299.00'], ['DUP-007', 'Handloom Dupatta', '1199.00'],
  ['MOJ-002', 'Leather Mojari', '1499.00'], ['OIL-021', 'Ayurvedic Face Oil', '599.00'], ['DIN-030', 'Ceramic Dinner Set', '3499.00'],
  ['EAR-044', 'Bluetooth Earbuds', '1999.00'], ['YOG-008', 'Yoga Mat', '899.00'], ['COO-012', 'Pressure Cooker 5L', '2499.00'],
  ['TIF-004', 'Steel Tiffin Box', '549.00'], ['TEA-009', 'Darjeeling Tea 250g', '449.00'], ['SHA-050', 'Kashmiri Pashmina Shawl', '6999.00'],
  ['BED-016', 'Block Print Bedsheet', '1599.00'], ['PLA-002', 'Terracotta Planter', '399.00'], ['SPI-011', 'Masala Dabba Spice Box', '999.00'],
  ['KID-006', 'Kids Kurta Set', '799.00'], ['SOA-003', 'Sandalwood Soap Pack', '299.50'], ['BAG-019', 'Jute Tote Bag', '349.00'],
  ['BOT-013', 'Copper Water Bottle', '899.00'], ['WAT-070', 'Smartwatch', '4999.00'], ['SHO-033', 'Running Shoes', '3299.00'],
  ['JEW-090', 'Silver Jhumka Earrings', '2199.00'], ['LAM-015', 'Handpainted Table Lamp', '1899.00'], ['GHE-001', 'A2 Cow Ghee 1L', '1150.00'],
  ['NUT-008', 'Dry Fruit Gift Box', '1799.00'],
];
