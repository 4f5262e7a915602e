//! The generated demo region: deterministic by seed, realistic enough that a
//! patient, a receptionist or a benchmark finds what a real region has.
//!
//! `demo` is the embedded default's data: a handful of the Kaluga region's
//! organisations. `region` is a whole region's load for benchmarks: at least
//! 150 clinics, 2,000 doctors and 1.2 million slots over 28 days.

mod names;

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Weekday};
use registratura_contract::identity::{PolicyNumber, Snils};
use registratura_contract::region::KALUGA;

use names::{feminine_surname, DISTRICTS, FATHERS, FEMALE_NAMES, MALE_NAMES, STREETS, SURNAMES};

/// How much to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Size {
    /// A few organisations: the embedded default.
    Demo,
    /// A whole region: the benchmarks' dataset.
    Region,
}

/// Everything the generator makes, ready to load.
#[derive(Debug, Clone)]
pub struct DemoRegion {
    pub seed: u64,
    pub size: Size,
    pub first_day: NaiveDate,
    pub organizations: Vec<OrganizationRow>,
    pub clinics: Vec<ClinicRow>,
    pub services: Vec<ServiceRow>,
    pub doctors: Vec<DoctorRow>,
    /// (doctor id, service id).
    pub doctor_services: Vec<(i64, i64)>,
    pub slots: Vec<SlotRow>,
    pub patients: Vec<PatientRow>,
}

#[derive(Debug, Clone)]
pub struct OrganizationRow {
    pub id: i64,
    pub name: String,
    pub short_name: String,
    pub address: String,
}

#[derive(Debug, Clone)]
pub struct ClinicRow {
    pub id: i64,
    pub organization_id: i64,
    pub name: String,
    pub address: String,
    pub phone: String,
}

#[derive(Debug, Clone)]
pub struct ServiceRow {
    pub id: i64,
    pub code: &'static str,
    pub name: String,
    pub specialty: &'static str,
}

#[derive(Debug, Clone)]
pub struct DoctorRow {
    pub id: i64,
    pub clinic_id: i64,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    pub position: &'static str,
}

#[derive(Debug, Clone, Copy)]
pub struct SlotRow {
    pub id: i64,
    pub doctor_id: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    pub status: &'static str,
}

#[derive(Debug, Clone)]
pub struct PatientRow {
    /// `registry-server demo-token --patient N` names this number.
    pub demo_number: i64,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    pub birth_date: NaiveDate,
    pub policy: String,
    pub snils: Snils,
    pub phones: Vec<String>,
    pub confirmed: bool,
}

/// A specialty: its two services (primary and repeat visit), the doctor's
/// position and the length of one visit.
struct Specialty {
    key: &'static str,
    primary: &'static str,
    repeat: &'static str,
    /// «Прием (осмотр, консультация) врача-…» completes the service name.
    of_doctor: &'static str,
    position: &'static str,
    visit_minutes: i64,
}

const SPECIALTIES: &[Specialty] = &[
    Specialty { key: "Терапия", primary: "B01.047.001", repeat: "B01.047.002", of_doctor: "врача-терапевта", position: "врач-терапевт участковый", visit_minutes: 15 },
    Specialty { key: "Общая врачебная практика", primary: "B01.026.001", repeat: "B01.026.002", of_doctor: "врача общей практики (семейного врача)", position: "врач общей практики (семейный врач)", visit_minutes: 15 },
    Specialty { key: "Педиатрия", primary: "B01.031.001", repeat: "B01.031.002", of_doctor: "врача-педиатра", position: "врач-педиатр участковый", visit_minutes: 15 },
    Specialty { key: "Стоматология", primary: "B01.064.001", repeat: "B01.064.002", of_doctor: "врача-стоматолога", position: "врач-стоматолог", visit_minutes: 30 },
    Specialty { key: "Офтальмология", primary: "B01.029.001", repeat: "B01.029.002", of_doctor: "врача-офтальмолога", position: "врач-офтальмолог", visit_minutes: 20 },
    Specialty { key: "Хирургия", primary: "B01.057.001", repeat: "B01.057.002", of_doctor: "врача-хирурга", position: "врач-хирург", visit_minutes: 15 },
    Specialty { key: "Неврология", primary: "B01.023.001", repeat: "B01.023.002", of_doctor: "врача-невролога", position: "врач-невролог", visit_minutes: 22 },
    Specialty { key: "Оториноларингология", primary: "B01.028.001", repeat: "B01.028.002", of_doctor: "врача-оториноларинголога", position: "врач-оториноларинголог", visit_minutes: 15 },
    Specialty { key: "Акушерство и гинекология", primary: "B01.001.001", repeat: "B01.001.002", of_doctor: "врача-акушера-гинеколога", position: "врач-акушер-гинеколог", visit_minutes: 20 },
    Specialty { key: "Кардиология", primary: "B01.015.001", repeat: "B01.015.002", of_doctor: "врача-кардиолога", position: "врач-кардиолог", visit_minutes: 20 },
    Specialty { key: "Эндокринология", primary: "B01.058.001", repeat: "B01.058.002", of_doctor: "врача-эндокринолога", position: "врач-эндокринолог", visit_minutes: 20 },
];

/// The specialties indexed in [`SPECIALTIES`].
const THERAPY: usize = 0;
const GENERAL: usize = 1;
const PEDIATRICS: usize = 2;
const DENTISTRY: usize = 3;
const GYNECOLOGY: usize = 8;

/// How many days of schedule the generator makes, today included.
pub const SCHEDULE_DAYS: i64 = 28;

/// Generates a region. The same seed, size and first day give the same data.
pub fn generate(size: Size, seed: u64, first_day: NaiveDate) -> DemoRegion {
    let mut random = SplitMix64::new(seed);
    let services = services();
    let mut region = DemoRegion {
        seed,
        size,
        first_day,
        organizations: Vec::new(),
        clinics: Vec::new(),
        services,
        doctors: Vec::new(),
        doctor_services: Vec::new(),
        slots: Vec::new(),
        patients: demo_patients(&mut random),
    };
    match size {
        Size::Demo => demo_directory(&mut region, &mut random),
        Size::Region => region_directory(&mut region, &mut random),
    }
    let long_shifts = size == Size::Region;
    let doctors: Vec<(i64, usize)> = region
        .doctors
        .iter()
        .map(|doctor| (doctor.id, specialty_of(doctor.position)))
        .collect();
    let mut next_slot = 1;
    for (index, (doctor_id, specialty)) in doctors.into_iter().enumerate() {
        schedule(&mut region.slots, &mut next_slot, doctor_id, &SPECIALTIES[specialty], index, first_day, long_shifts, &mut random);
    }
    region
}

fn services() -> Vec<ServiceRow> {
    let mut rows = Vec::new();
    for specialty in SPECIALTIES {
        for (code, kind) in [(specialty.primary, "первичный"), (specialty.repeat, "повторный")] {
            rows.push(ServiceRow {
                id: rows.len() as i64 + 1,
                code,
                name: format!("Прием (осмотр, консультация) {} {kind}", specialty.of_doctor),
                specialty: specialty.key,
            });
        }
    }
    rows
}

/// The service ids (primary, repeat) of a specialty.
fn service_ids(specialty: usize) -> [i64; 2] {
    let primary = specialty as i64 * 2 + 1;
    [primary, primary + 1]
}

fn specialty_of(position: &str) -> usize {
    SPECIALTIES.iter().position(|s| s.position == position).unwrap_or(THERAPY)
}

/// A demo clinic: its name, its address and the specialties it has.
type DemoClinic<'a> = (&'a str, &'a str, &'a [usize]);

/// A demo organisation: its name, short name and address, and its clinics.
type DemoOrganization<'a> = (&'a str, &'a str, &'a str, &'a [DemoClinic<'a>]);

/// A demo patient: surname, name, patronymic, birth date (year, month,
/// day), and whether the ESIA account is confirmed.
type DemoPerson = (&'static str, &'static str, &'static str, (i32, u32, u32), bool);

/// The organisations of the embedded default, with the specialties each of
/// their clinics has.
fn demo_directory(region: &mut DemoRegion, random: &mut SplitMix64) {
    let adult = [THERAPY, THERAPY, THERAPY, 4, 5, 6, 7, 9, 10];
    let organizations: &[DemoOrganization<'_>] = &[
        (
            "ГБУЗ КО «Калужская городская поликлиника № 2»",
            "Городская поликлиника № 2, Калуга",
            "г. Калуга, ул. Пухова, д. 34",
            &[
                ("Поликлиника № 2, основное здание", "г. Калуга, ул. Пухова, д. 34", &adult),
                ("Женская консультация", "г. Калуга, ул. Болдина, д. 57", &[GYNECOLOGY, GYNECOLOGY]),
            ],
        ),
        (
            "ГБУЗ КО «Калужская областная клиническая стоматологическая поликлиника»",
            "Стоматологическая поликлиника, Калуга",
            "г. Калуга, ул. Ленина, д. 85",
            &[
                ("Стоматологическая поликлиника, взрослое отделение", "г. Калуга, ул. Ленина, д. 85", &[DENTISTRY, DENTISTRY, DENTISTRY]),
                ("Стоматологическое отделение на Тарутинской", "г. Калуга, ул. Тарутинская, д. 12", &[DENTISTRY, DENTISTRY]),
            ],
        ),
        (
            "ГБУЗ КО «Калужская детская городская больница»",
            "Детская городская больница, Калуга",
            "г. Калуга, ул. Плеханова, д. 83",
            &[("Детская поликлиника № 1", "г. Калуга, ул. Плеханова, д. 83", &[PEDIATRICS, PEDIATRICS, PEDIATRICS, 4, 5, 7])],
        ),
        (
            "ГБУЗ КО «Центральная районная больница Малоярославецкого района»",
            "ЦРБ Малоярославецкого района",
            "г. Малоярославец, ул. Московская, д. 27",
            &[
                ("Поликлиника ЦРБ", "г. Малоярославец, ул. Московская, д. 27", &[THERAPY, THERAPY, PEDIATRICS, 5, 6, GYNECOLOGY]),
                ("Врачебная амбулатория с. Детчино", "Малоярославецкий р-н, с. Детчино, ул. Матвеева, д. 4", &[GENERAL]),
            ],
        ),
        (
            "ГБУЗ КО «Центральная межрайонная больница № 1»",
            "ЦМБ № 1, Людиново",
            "г. Людиново, ул. Маяковского, д. 1",
            &[("Поликлиника для взрослых", "г. Людиново, ул. Маяковского, д. 1", &[THERAPY, THERAPY, 4, 6, 9, GYNECOLOGY])],
        ),
        (
            "ГБУЗ КО «Центральная районная больница Козельского района»",
            "ЦРБ Козельского района",
            "г. Козельск, ул. Чкалова, д. 28",
            &[
                ("Поликлиника ЦРБ", "г. Козельск, ул. Чкалова, д. 28", &[THERAPY, PEDIATRICS, 5, 7, 10]),
                ("Врачебная амбулатория г. Сосенский", "Козельский р-н, г. Сосенский, ул. Гагарина, д. 8", &[GENERAL, GENERAL]),
            ],
        ),
    ];
    for (name, short_name, address, clinics) in organizations {
        let organization_id = region.organizations.len() as i64 + 1;
        region.organizations.push(OrganizationRow {
            id: organization_id,
            name: (*name).to_owned(),
            short_name: (*short_name).to_owned(),
            address: (*address).to_owned(),
        });
        for (clinic_name, clinic_address, specialties) in clinics.iter() {
            let clinic_id = add_clinic(region, organization_id, clinic_name, clinic_address, random);
            for &specialty in specialties.iter() {
                add_doctor(region, clinic_id, specialty, random);
            }
        }
    }
}

/// A whole region: a central district hospital in each district and the
/// city polyclinics of Kaluga and Obninsk, four clinics each.
fn region_directory(region: &mut DemoRegion, random: &mut SplitMix64) {
    let staff = [THERAPY, THERAPY, THERAPY, THERAPY, GENERAL, PEDIATRICS, PEDIATRICS, DENTISTRY, 4, 5, 6, 7, GYNECOLOGY, 9];
    let mut places: Vec<(String, String, String)> = DISTRICTS
        .iter()
        .map(|(district, centre)| {
            (
                format!("ГБУЗ КО «Центральная районная больница {district} района»"),
                format!("ЦРБ {district} района"),
                (*centre).to_owned(),
            )
        })
        .collect();
    for number in 1..=10 {
        places.push((
            format!("ГБУЗ КО «Калужская городская поликлиника № {number}»"),
            format!("Городская поликлиника № {number}, Калуга"),
            "г. Калуга".to_owned(),
        ));
    }
    for number in 1..=6 {
        places.push((
            format!("ГБУЗ КО «Городская поликлиника № {number}» г. Обнинска"),
            format!("Городская поликлиника № {number}, Обнинск"),
            "г. Обнинск".to_owned(),
        ));
    }
    for (name, short_name, town) in places {
        let organization_id = region.organizations.len() as i64 + 1;
        let address = format!("{town}, {}, д. {}", random.pick(STREETS), random.below(120) + 1);
        region.organizations.push(OrganizationRow { id: organization_id, name, short_name, address: address.clone() });
        for (index, clinic_name) in ["Поликлиника для взрослых", "Детская поликлиника", "Женская консультация", "Врачебная амбулатория"].iter().enumerate() {
            let clinic_address = if index == 0 {
                address.clone()
            } else {
                format!("{town}, {}, д. {}", random.pick(STREETS), random.below(120) + 1)
            };
            let clinic_id = add_clinic(region, organization_id, clinic_name, &clinic_address, random);
            for &specialty in &staff {
                add_doctor(region, clinic_id, specialty, random);
            }
        }
    }
}

fn add_clinic(region: &mut DemoRegion, organization_id: i64, name: &str, address: &str, random: &mut SplitMix64) -> i64 {
    let id = region.clinics.len() as i64 + 1;
    let phone = format!("+7 (4842) {:02}-{:02}-{:02}", 50 + random.below(30), random.below(100), random.below(100));
    region.clinics.push(ClinicRow { id, organization_id, name: name.to_owned(), address: address.to_owned(), phone });
    id
}

fn add_doctor(region: &mut DemoRegion, clinic_id: i64, specialty: usize, random: &mut SplitMix64) {
    let id = region.doctors.len() as i64 + 1;
    let female = specialty == GYNECOLOGY || random.below(10) < 6;
    let (last_name, first_name, middle_name) = person(random, female);
    region.doctors.push(DoctorRow { id, clinic_id, last_name, first_name, middle_name, position: SPECIALTIES[specialty].position });
    for service_id in service_ids(specialty) {
        region.doctor_services.push((id, service_id));
    }
}

/// A generated full name; `female` picks the forms.
fn person(random: &mut SplitMix64, female: bool) -> (String, String, String) {
    let surname = random.pick(SURNAMES);
    let (male_patronymic, female_patronymic) = *random.pick(FATHERS);
    if female {
        (feminine_surname(surname), (*random.pick(FEMALE_NAMES)).to_owned(), female_patronymic.to_owned())
    } else {
        ((*surname).to_owned(), (*random.pick(MALE_NAMES)).to_owned(), male_patronymic.to_owned())
    }
}

/// One doctor's 28 days: weekdays in a morning or an evening shift that
/// alternate by week, a break in the middle, Saturdays for some; the first
/// two visits of each shift kept for the reception desk; the nearer a day,
/// the more of it already taken.
#[allow(clippy::too_many_arguments)]
fn schedule(
    slots: &mut Vec<SlotRow>,
    next_id: &mut i64,
    doctor_id: i64,
    specialty: &Specialty,
    doctor_index: usize,
    first_day: NaiveDate,
    long_shifts: bool,
    random: &mut SplitMix64,
) {
    let zone = KALUGA.time_zone;
    let works_saturday = doctor_index.is_multiple_of(4);
    let visit = specialty.visit_minutes;
    for offset in 0..SCHEDULE_DAYS {
        let day = first_day + Duration::days(offset);
        let (start_hour, end_hour) = match day.weekday() {
            Weekday::Sun => continue,
            Weekday::Sat if !works_saturday => continue,
            Weekday::Sat => (9, 13),
            _ => {
                let morning = (day.iso_week().week() as usize + doctor_index).is_multiple_of(2);
                match (morning, long_shifts) {
                    (true, false) => (8, 14),
                    (false, false) => (14, 20),
                    (true, true) => (8, 16),
                    (false, true) => (12, 20),
                }
            }
        };
        let shift_minutes = (end_hour - start_hour) * 60;
        let break_start = shift_minutes / 2 - 15;
        let busy_percent = match offset {
            0..=2 => 70,
            3..=7 => 45,
            8..=14 => 25,
            _ => 10,
        };
        let mut minute = 0;
        let mut position_in_shift = 0;
        while minute + visit <= shift_minutes {
            if minute < break_start + 30 && minute + visit > break_start {
                minute = break_start + 30;
                continue;
            }
            let local = day.and_time(NaiveTime::MIN) + Duration::minutes(start_hour * 60 + minute);
            let Some(starts) = zone.from_local_datetime(&local).earliest() else {
                minute += visit;
                continue;
            };
            let roll = random.below(100);
            let status = if position_in_shift < 2 || roll < 4 {
                "unavailable"
            } else if roll < 4 + busy_percent {
                "busy"
            } else {
                "free"
            };
            let starts_at = starts.timestamp();
            slots.push(SlotRow { id: *next_id, doctor_id, starts_at, ends_at: starts_at + visit * 60, status });
            *next_id += 1;
            position_in_shift += 1;
            minute += visit;
        }
    }
}

/// The demo patients `demo-token` and the ESIA sandbox know: valid СНИЛС and
/// policy numbers; the last two have unconfirmed ESIA accounts.
fn demo_patients(random: &mut SplitMix64) -> Vec<PatientRow> {
    let people: &[DemoPerson] = &[
        ("Захарова", "Софья", "Сергеевна", (1951, 3, 14), true),
        ("Кузнецов", "Иван", "Петрович", (1948, 11, 2), true),
        ("Смирнова", "Анна", "Викторовна", (1987, 6, 21), true),
        ("Орлов", "Дмитрий", "Андреевич", (1979, 1, 9), true),
        ("Белова", "Мария", "Олеговна", (1995, 9, 30), true),
        ("Тихонов", "Николай", "Юрьевич", (1963, 4, 17), true),
        ("Егорова", "Людмила", "Ивановна", (1944, 12, 5), true),
        ("Лебедев", "Артём", "Сергеевич", (2001, 7, 11), true),
        ("Романова", "Ольга", "Павловна", (1990, 2, 25), false),
        ("Фролов", "Максим", "Игоревич", (1985, 10, 3), false),
    ];
    people
        .iter()
        .enumerate()
        .map(|(index, (last, first, middle, (year, month, day), confirmed))| PatientRow {
            demo_number: index as i64 + 1,
            last_name: (*last).to_owned(),
            first_name: (*first).to_owned(),
            middle_name: (*middle).to_owned(),
            birth_date: NaiveDate::from_ymd_opt(*year, *month, *day).unwrap_or_default(),
            // Fifteen digits drawn as before, the sixteenth their check digit.
            policy: PolicyNumber::completing(&format!("40{:014}", random.below(100_000_000_000_000))[..15])
                .map(|policy| policy.digits().to_owned())
                .unwrap_or_default(),
            snils: Snils::from_number(2_000_000 + random.below(990_000_000) as u32),
            phones: if index % 3 == 2 { Vec::new() } else { vec![format!("+791{:08}", random.below(100_000_000))] },
            confirmed: *confirmed,
        })
        .collect()
}

/// A small, fast generator whose output never changes between versions of
/// any crate, so a seed means the same region forever.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound`.
    pub fn below(&mut self, bound: u64) -> u64 {
        self.next_u64() % bound.max(1)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// The password of every demo staff account (demo databases only).
pub const STAFF_PASSWORD: &str = "desk-test-2026";

/// A demo staff account's names, drawn by position so that they never
/// change between versions: `index` counts the accounts.
pub fn staff_names(index: usize) -> (String, String, String) {
    let surname = SURNAMES[(index * 7 + 3) % SURNAMES.len()];
    let first = FEMALE_NAMES[(index * 5 + 1) % FEMALE_NAMES.len()];
    let (_, patronymic) = FATHERS[(index * 3 + 2) % FATHERS.len()];
    (feminine_surname(surname), first.to_owned(), patronymic.to_owned())
}

/// The demo login of the registrar of clinic `clinic_id`.
pub fn registrar_login(clinic_id: i64) -> String {
    format!("registrar{clinic_id}")
}

/// The demo login of the admin of organisation `organization_id`.
pub fn admin_login(organization_id: i64) -> String {
    format!("admin{organization_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).expect("valid date")
    }

    #[test]
    fn the_same_seed_gives_the_same_region() {
        let a = generate(Size::Demo, 7, day());
        let b = generate(Size::Demo, 7, day());
        assert_eq!(a.slots.len(), b.slots.len());
        assert_eq!(a.doctors.iter().map(|d| &d.last_name).collect::<Vec<_>>(), b.doctors.iter().map(|d| &d.last_name).collect::<Vec<_>>());
        assert_eq!(a.slots.iter().map(|s| s.status).collect::<Vec<_>>(), b.slots.iter().map(|s| s.status).collect::<Vec<_>>());
        let c = generate(Size::Demo, 8, day());
        assert_ne!(a.doctors.iter().map(|d| &d.last_name).collect::<Vec<_>>(), c.doctors.iter().map(|d| &d.last_name).collect::<Vec<_>>());
    }

    #[test]
    fn demo_has_what_the_issue_asks_for() {
        let region = generate(Size::Demo, 1, day());
        assert!(region.organizations.len() >= 5);
        assert!(region.services.len() >= 20);
        assert!(region.services.iter().any(|s| s.code == "B01.064.001"));
        let specialties: std::collections::HashSet<_> = region.services.iter().map(|s| s.specialty).collect();
        assert!(specialties.len() >= 9);
        let free = region.slots.iter().filter(|s| s.status == "free").count();
        let busy = region.slots.iter().filter(|s| s.status == "busy").count();
        let reserved = region.slots.iter().filter(|s| s.status == "unavailable").count();
        assert!(free > 0 && busy > 0 && reserved > 0, "{free} free, {busy} busy, {reserved} reserved");
        assert!(region.patients.iter().any(|p| !p.confirmed));
    }

    #[test]
    fn no_slot_on_sunday_and_none_overlapping_for_a_doctor() {
        let region = generate(Size::Demo, 3, day());
        let zone = KALUGA.time_zone;
        let mut by_doctor: std::collections::HashMap<i64, Vec<(i64, i64)>> = Default::default();
        for slot in &region.slots {
            let local = chrono::DateTime::from_timestamp(slot.starts_at, 0).expect("valid").with_timezone(&zone);
            assert_ne!(local.weekday(), Weekday::Sun);
            by_doctor.entry(slot.doctor_id).or_default().push((slot.starts_at, slot.ends_at));
        }
        for slots in by_doctor.values() {
            for pair in slots.windows(2) {
                assert!(pair[0].1 <= pair[1].0, "overlapping slots {pair:?}");
            }
        }
    }

    #[test]
    fn region_is_a_whole_regions_load() {
        let region = generate(Size::Region, 1, day());
        assert!(region.clinics.len() >= 150, "{} clinics", region.clinics.len());
        assert!(region.doctors.len() >= 2000, "{} doctors", region.doctors.len());
        assert!(region.slots.len() >= 1_200_000, "{} slots", region.slots.len());
    }

    #[test]
    fn demo_patients_have_valid_identifiers() {
        for patient in generate(Size::Demo, 1, day()).patients {
            assert!(PolicyNumber::parse(&patient.policy).is_ok());
            assert!(Snils::parse(patient.snils.digits()).is_ok());
            for phone in &patient.phones {
                assert!(registratura_contract::identity::Phone::parse(phone).is_ok());
            }
        }
    }

    #[test]
    fn feminine_surnames() {
        assert_eq!(feminine_surname("Иванов"), "Иванова");
        assert_eq!(feminine_surname("Островский"), "Островская");
        assert_eq!(feminine_surname("Руденко"), "Руденко");
    }
}
